import Foundation

/// A remote cache that is a directory, typically on a shared filesystem
/// (`[cache] remote = "file:///…"`, as Bazel's `--disk_cache`): for cluster
/// nodes that can reach no cache server but share a filesystem. The layout is
/// the HTTP cache's, `ac/<key>` and `cas/<sha256>` under the directory.
///
/// The HTTP cache's rules hold: an entry is written to a temporary file in its
/// store's directory and renamed into place, so a reader (another node) sees
/// a whole entry or none, and the engine checks everything it reads against
/// its digest, so a damaged file is a miss, never an input.
public struct DirectoryRemoteCache: RemoteCache {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `file://` and the directory, ending in `/`.
    public var displayName: String {
        "file://" + (directory.path.hasSuffix("/") ? directory.path : directory.path + "/")
    }

    func file(_ store: RemoteStore, _ digest: Digest) -> URL {
        directory.appendingPathComponent(store.rawValue).appendingPathComponent(digest.hex)
    }

    public func get(_ store: RemoteStore, _ digest: Digest) async throws -> Data? {
        let path = file(store, digest).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RemoteCacheError("cannot read \(store.rawValue)/\(digest.hex) in \(directory.path)", kind: .unusable)
        }
        return data
    }

    public func put(_ store: RemoteStore, _ digest: Digest, _ data: Data) async throws {
        let folder = directory.appendingPathComponent(store.rawValue)
        let temporary = folder.appendingPathComponent(".tmp-\(digest.hex.prefix(16))-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            // rename(2) replaces an entry another node wrote meanwhile: content-addressed, the same bytes.
            guard rename(temporary.path, file(store, digest).path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file(store, digest).path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RemoteCacheError("cannot write to \(directory.path): \((error as NSError).localizedDescription)", kind: .unusable)
        }
    }
}
