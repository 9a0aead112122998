import Foundation

/// Digests of project files keyed by (device, inode, size, mtime ns): a file
/// whose stat is unchanged is not read again, so a no-op build with a large
/// dataset costs one `stat` per file.
///
/// Racy entries (git's racy-timestamp problem): a file whose mtime is not
/// older than the cache file's own write may have been edited again within
/// the file system's timestamp granularity, keeping its size and mtime; such
/// entries are always re-hashed, until a later save is strictly newer.
final class StatCache {
    private struct Entry: Equatable {
        var stat: FileStat
        var digest: Digest
        /// Not to be trusted on its stat alone (see the type's comment).
        var racy = false
    }

    private let fileSystem: any FileSystem
    private let root: String
    private let path: String
    private var entries: [String: Entry] = [:]
    private var dirty = false
    /// How many files were read and hashed (tests check the fast path with it).
    private(set) var rehashCount = 0

    /// With `verify`, every file is read and hashed again (`lutbuild status --verify`).
    init(fileSystem: any FileSystem, root: String, path: String, verify: Bool = false) {
        self.fileSystem = fileSystem
        self.root = root
        self.path = path
        guard !verify, let written = fileSystem.stat(path)?.mtimeNanoseconds, let data = try? fileSystem.read(path) else { return }
        for line in LineFormat.lines(data) {
            guard let f = LineFormat.open(line), f.count == 6, let device = LineFormat.int(f[1]), let inode = LineFormat.int(f[2]),
                let size = LineFormat.int(f[3]), let mtime = LineFormat.int(f[4]), let digest = LineFormat.digest(f[5])
            else { continue }
            entries[LineFormat.string(f[0])] = Entry(
                stat: FileStat(
                    device: UInt64(bitPattern: Int64(device)), inode: UInt64(bitPattern: Int64(inode)),
                    size: UInt64(size), mtimeNanoseconds: Int64(mtime), isDirectory: false),
                digest: digest, racy: Int64(mtime) >= written)
        }
    }

    /// The digest of the project file at `relativePath`, or nil if there is no such file.
    func digest(of relativePath: String) throws -> Digest? {
        let absolute = joinPath(root, relativePath)
        guard let stat = fileSystem.stat(absolute), !stat.isDirectory else {
            if entries.removeValue(forKey: relativePath) != nil { dirty = true }
            return nil
        }
        if let entry = entries[relativePath], entry.stat == stat, !entry.racy { return entry.digest }
        let digest = Digest.of(try fileSystem.read(absolute))
        rehashCount += 1
        // Re-stat: if the file changed while being read, do not cache the digest.
        if fileSystem.stat(absolute) == stat {
            entries[relativePath] = Entry(stat: stat, digest: digest)
            dirty = true
        }
        return digest
    }

    /// Records a file the engine just wrote, so it is not re-read next time.
    func remember(_ relativePath: String, digest: Digest) {
        guard let stat = fileSystem.stat(joinPath(root, relativePath)) else { return }
        entries[relativePath] = Entry(stat: stat, digest: digest)
        dirty = true
    }

    func saveIfChanged() throws {
        guard dirty else { return }
        let text = entries.sorted { $0.key < $1.key }.map { name, entry in
            LineFormat.seal([
                LineFormat.escape(name), String(entry.stat.device), String(entry.stat.inode),
                String(entry.stat.size), String(entry.stat.mtimeNanoseconds), entry.digest.hex,
            ])
        }.joined()
        try fileSystem.createDirectory(parentPath(path))
        try fileSystem.writeAtomically(path, Data(text.utf8))
        dirty = false
    }
}
