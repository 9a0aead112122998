import Foundation

/// One output file: where it goes (relative to the project root) and its bytes.
/// The caller (the build engine) writes it; Packaging itself touches no disk.
public struct PackagedFile: Sendable, Hashable {
    public var path: String
    public var contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    init(path: String, text: String) {
        self.init(path: path, contents: Data(text.utf8))
    }
}
