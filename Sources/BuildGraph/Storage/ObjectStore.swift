import Foundation

/// The content-addressed store: `objects/ab/cdef…`, one immutable file per
/// digest, written atomically and verified on every read.
struct ObjectStore: Sendable {
    let fileSystem: any FileSystem
    let directory: String

    func path(of digest: Digest) -> String {
        let hex = digest.hex
        return "\(directory)/\(hex.prefix(2))/\(hex.dropFirst(2))"
    }

    func contains(_ digest: Digest) -> Bool { fileSystem.exists(path(of: digest)) }

    /// Stores `data` and returns its digest; an existing object of the right
    /// size is kept (same digest, same bytes).
    @discardableResult
    func put(_ data: Data) throws -> Digest {
        let digest = Digest.of(data)
        let objectPath = path(of: digest)
        if let existing = fileSystem.stat(objectPath), existing.size == UInt64(data.count) { return digest }
        try fileSystem.createDirectory(parentPath(objectPath))
        try fileSystem.writeAtomically(objectPath, data)
        return digest
    }

    /// The object's bytes, after checking they still hash to `digest`. A corrupt
    /// object is deleted (so its producer is rebuilt) and reported, never returned.
    func get(_ digest: Digest) throws -> Data {
        let objectPath = path(of: digest)
        guard let data = try? fileSystem.read(objectPath) else {
            // Deleted since it was planned (e.g. found corrupt by another step): rebuilt like a corrupt one.
            throw BuildError.missingObject(digest, path: objectPath)
        }
        guard Digest.of(data) == digest else {
            try? fileSystem.remove(objectPath)
            throw BuildError.corruptObject(digest, path: objectPath)
        }
        return data
    }

    /// Every stored digest (for `gc`).
    func allDigests() throws -> [Digest] {
        guard fileSystem.exists(directory) else { return [] }
        var digests: [Digest] = []
        for prefix in try fileSystem.list(directory) where prefix.count == 2 {
            for rest in try fileSystem.list("\(directory)/\(prefix)") {
                if let digest = Digest(hex: prefix + rest) { digests.append(digest) }
            }
        }
        return digests
    }

    func remove(_ digest: Digest) throws { try fileSystem.remove(path(of: digest)) }

    /// Half-written objects (`.tmp-*`, see `FileSystem.writeAtomically`) left by
    /// a process killed mid-write; only safe to delete while no build runs.
    func temporaries() throws -> [String] {
        guard fileSystem.exists(directory) else { return [] }
        var paths: [String] = []
        for prefix in try fileSystem.list(directory) {
            let folder = "\(directory)/\(prefix)"
            if prefix.hasPrefix(".tmp-") {
                paths.append(folder)
                continue
            }
            guard prefix.count == 2 else { continue }
            paths += try fileSystem.list(folder).filter { $0.hasPrefix(".tmp-") }.map { "\(folder)/\($0)" }
        }
        return paths
    }
}
