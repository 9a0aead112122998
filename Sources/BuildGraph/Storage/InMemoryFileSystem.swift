import Foundation
import Synchronization

/// A file system in memory, for tests of graph logic; mtimes come from the
/// injected clock, so tests decide when a file "changed".
public final class InMemoryFileSystem: FileSystem {
    private struct Entry {
        var data: Data?  // nil for a directory
        var stat: FileStat
    }

    private let clock: any BuildClock
    private let state = Mutex<(entries: [String: Entry], nextInode: UInt64)>(
        (["/": Entry(data: nil, stat: FileStat(device: 1, inode: 1, size: 0, mtimeNanoseconds: 0, isDirectory: true))], 2))

    public init(clock: any BuildClock) { self.clock = clock }

    public func read(_ path: String) throws -> Data {
        try state.withLock { state in
            guard let entry = state.entries[path] else { throw FileSystemError(path, "no such file") }
            guard let data = entry.data else { throw FileSystemError(path, "is a directory") }
            return data
        }
    }

    public func writeAtomically(_ path: String, _ data: Data) throws {
        try store(path, data)
    }

    public func append(_ path: String, _ data: Data) throws {
        let old = (try? read(path)) ?? Data()
        try store(path, old + data)
    }

    /// Overwrites a file in place (keeping its inode), as an editor might.
    public func overwrite(_ path: String, _ data: Data) throws { try store(path, data) }

    /// Sets a file's mtime, as `touch -d` does.
    public func setModificationTime(_ path: String, nanoseconds: Int64) {
        state.withLock { $0.entries[path]?.stat.mtimeNanoseconds = nanoseconds }
    }

    public func stat(_ path: String) -> FileStat? { state.withLock { $0.entries[path]?.stat } }

    public func remove(_ path: String) throws {
        state.withLock { state in
            state.entries = state.entries.filter { key, _ in key != path && !key.hasPrefix(path + "/") }
        }
    }

    public func list(_ path: String) throws -> [String] {
        try state.withLock { state in
            guard state.entries[path]?.data == nil, state.entries[path] != nil else {
                throw FileSystemError(path, "no such directory")
            }
            let prefix = path == "/" ? "/" : path + "/"
            return state.entries.keys
                .filter { $0.hasPrefix(prefix) && $0 != path && !$0.dropFirst(prefix.count).contains("/") }
                .map { String($0.dropFirst(prefix.count)) }
                .sorted()
        }
    }

    public func createDirectory(_ path: String) throws {
        let parent = parentPath(path)
        if parent != path { try createDirectory(parent) }
        let now = Int64(clock.nanoseconds())
        try state.withLock { state in
            if let entry = state.entries[path] {
                if entry.data != nil { throw FileSystemError(path, "exists and is not a directory") }
                return
            }
            state.entries[path] = Entry(
                data: nil, stat: FileStat(device: 1, inode: state.nextInode, size: 0, mtimeNanoseconds: now, isDirectory: true))
            state.nextInode += 1
        }
    }

    public func rename(_ from: String, _ to: String) throws {
        try state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: from) else { throw FileSystemError(from, "no such file") }
            state.entries[to] = entry
        }
    }

    private func store(_ path: String, _ data: Data) throws {
        let now = Int64(clock.nanoseconds())
        try state.withLock { state in
            guard state.entries[parentPath(path)]?.data == nil, state.entries[parentPath(path)] != nil else {
                throw FileSystemError(path, "parent directory does not exist")
            }
            if state.entries[path]?.data == nil, state.entries[path] != nil {
                throw FileSystemError(path, "is a directory")
            }
            let inode = state.entries[path]?.stat.inode ?? state.nextInode
            if state.entries[path] == nil { state.nextInode += 1 }
            state.entries[path] = Entry(
                data: data, stat: FileStat(device: 1, inode: inode, size: UInt64(data.count), mtimeNanoseconds: now, isDirectory: false))
        }
    }
}
