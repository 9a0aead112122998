import Crypto
import Foundation

/// SHA-256 of a file's bytes, so a save that does not change the content
/// (or a bare `touch`) is recognised as no change at all.
enum ContentDigest {
    /// The digest, or nil when the file is missing or unreadable (a state of its own).
    /// Read in chunks, not mapped: a file truncated while it is hashed must not crash the watcher.
    static func of(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            return nil
        }
        return Array(hasher.finalize())
    }
}
