import Foundation

/// The shared data folder beside the package root (`../shared`: datasets and
/// schemas too large or not ours to vendor; CI puts it there too). Tests that
/// need it ask here, so a missing folder fails with its path, not with an
/// obscure read error or a silent skip.
public enum SharedData {
    /// The package root, from this file's place in it (Tests/Support/TestSupport/).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/<relative>`, or an error naming the missing path and how to provide it.
    public static func require(_ relative: String) throws -> URL {
        let url = packageRoot.appendingPathComponent("../shared").appendingPathComponent(relative).standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
        return url
    }

    /// A shared file or folder a test needs is not there.
    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "this test needs the shared data at \(path) (the `shared` folder beside the package root); put it there and run again"
        }
    }
}
