#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Identity and version of one file, as `stat` reports it: enough to tell
/// that a file was written, replaced (new inode) or resized.
struct FileStamp: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedNanoseconds: Int64
}

/// Walks a `WatchScope` without entering excluded sub-trees or symbolic
/// links to directories (which could loop).
struct DirectoryWalker {
    let scope: WatchScope

    /// Calls `directory` for every directory (the root included) and `file`
    /// for every non-directory entry, with its stamp (symlinks followed).
    func walk(directory: (String) -> Void, file: (String, FileStamp) -> Void) {
        walk(from: scope.root, directory: directory, file: file)
    }

    /// Same as `walk(directory:file:)` but starting at a sub-directory.
    func walk(from start: String, directory: (String) -> Void, file: (String, FileStamp) -> Void) {
        var pending = [start]
        while let current = pending.popLast() {
            directory(current)
            for name in Self.entries(of: current) {
                let path = WatchScope.join(current, name)
                if scope.excludes(path) { continue }
                guard let info = Self.status(path, followLinks: false) else { continue }
                if Self.isDirectory(info) {
                    pending.append(path)
                } else if let target = Self.status(path, followLinks: true), !Self.isDirectory(target) {
                    file(path, Self.stamp(target))
                }
            }
        }
    }

    /// The stamp of one file, or nil if it does not exist (symlinks followed).
    static func stamp(of path: String) -> FileStamp? {
        status(path, followLinks: true).map(stamp)
    }

    private static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func status(_ path: String, followLinks: Bool) -> stat? {
        var info = stat()
        let result = followLinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 ? info : nil
    }

    private static func isDirectory(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func stamp(_ info: stat) -> FileStamp {
        FileStamp(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        )
    }
}
