import Crypto
import Foundation

/// SHA-256 of a file's bytes, so a save that does not change the content
/// (or a bare `touch`) is recognised as no change at all.
enum ContentDigest {
    /// The digest, or nil when the file is missing or unreadable (a state of its own).
    static func of(_ path: String) -> [UInt8]? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            return nil
        }
        return Array(SHA256.hash(data: data))
    }
}
