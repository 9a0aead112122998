import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real file system, through Glibc.
public struct LocalFileSystem: FileSystem {
    public init() {}

    /// Reads a regular file. Opened non-blocking and checked before reading:
    /// a FIFO in place of a source would otherwise block the build (and its
    /// cancellation) forever, and a device never ends.
    public func read(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw errnoError(path, "cannot open") }
        defer { close(fd) }
        var info = Glibc.stat()
        guard fstat(fd, &info) == 0 else { throw errnoError(path, "cannot stat") }
        if let kind = FileKind.notRegular(mode: info.st_mode) {
            throw FileSystemError(path, "expected a regular file, found \(kind)")
        }
        var data = Data(count: Int(info.st_size))
        var offset = 0
        let total = data.count
        try data.withUnsafeMutableBytes { buffer in
            while offset < total {
                let n = Glibc.read(fd, buffer.baseAddress! + offset, total - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw errnoError(path, "cannot read")
                }
                if n == 0 { break }
                offset += n
            }
        }
        if offset < total { data.removeSubrange(offset...) }
        return data
    }

    public func writeAtomically(_ path: String, _ data: Data) throws {
        let temporary = "\(parentPath(path))/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try writeAll(temporary, data, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        guard Glibc.rename(temporary, path) == 0 else {
            let error = errnoError(path, "cannot rename into place")
            unlink(temporary)
            throw error
        }
    }

    public func append(_ path: String, _ data: Data) throws {
        try writeAll(path, data, flags: O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC)
    }

    public func stat(_ path: String) -> FileStat? {
        var info = Glibc.stat()
        guard systemStat(path, &info) == 0 else { return nil }
        return Self.fileStat(info)
    }

    public func linkStat(_ path: String) -> FileStat? {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Self.fileStat(info)
    }

    private static func fileStat(_ info: Glibc.stat) -> FileStat {
        FileStat(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: UInt64(info.st_size),
            mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            isDirectory: (info.st_mode & S_IFMT) == S_IFDIR)
    }

    public func remove(_ path: String) throws {
        // The link itself, not its target: a link to a folder elsewhere is unlinked, never emptied.
        guard let info = linkStat(path) else { return }
        if info.isDirectory {
            for name in try list(path) { try remove(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw errnoError(path, "cannot remove directory") }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw errnoError(path, "cannot remove") }
        }
    }

    public func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw errnoError(path, "cannot list directory") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func createDirectory(_ path: String) throws {
        if let info = stat(path) {
            if info.isDirectory { return }
            throw FileSystemError(path, "exists and is not a directory")
        }
        let parent = parentPath(path)
        if parent != path && parent != "." { try createDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw errnoError(path, "cannot create directory") }
    }

    public func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw errnoError(from, "cannot rename to \(to)") }
    }

    private func writeAll(_ path: String, _ data: Data, flags: Int32) throws {
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw errnoError(path, "cannot open for writing") }
        defer { close(fd) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw errnoError(path, "cannot write")
                }
                offset += n
            }
        }
    }

    private func errnoError(_ path: String, _ what: String) -> FileSystemError {
        FileSystemError(path, "\(what): \(String(cString: strerror(errno)))")
    }
}

/// `stat(2)`, named apart from the protocol's `stat` so the call resolves.
private func systemStat(_ path: String, _ info: inout Glibc.stat) -> Int32 {
    stat(path, &info)
}
