import Diagnostics
import Foundation

/// What `stat` says about a file: the source-hash fast path keys on
/// (device, inode, size, mtime ns), so any edit, replacement or touch rehashes.
public struct FileStat: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: UInt64
    public var mtimeNanoseconds: Int64
    public var isDirectory: Bool

    public init(device: UInt64, inode: UInt64, size: UInt64, mtimeNanoseconds: Int64, isDirectory: Bool) {
        self.device = device
        self.inode = inode
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.isDirectory = isDirectory
    }
}

/// The engine's only way to touch files, injected so graph logic runs in memory
/// in tests. Paths are absolute.
public protocol FileSystem: Sendable {
    func read(_ path: String) throws -> Data
    /// Writes through a temporary file and a rename, so readers (and a
    /// `kill -9`) only ever see the old or the new content.
    func writeAtomically(_ path: String, _ data: Data) throws
    /// Appends to a file, creating it if needed.
    func append(_ path: String, _ data: Data) throws
    /// Nil when nothing exists at `path`. Symbolic links are followed.
    func stat(_ path: String) -> FileStat?
    /// Like `stat`, but a symbolic link is described itself, not its target
    /// (so a walk does not follow a link to a directory into a loop).
    func linkStat(_ path: String) -> FileStat?
    /// Removes a file or a directory tree; no error if it does not exist.
    func remove(_ path: String) throws
    /// The names (not paths) in a directory, sorted.
    func list(_ path: String) throws -> [String]
    /// Creates a directory and its missing parents.
    func createDirectory(_ path: String) throws
    func rename(_ from: String, _ to: String) throws
}

extension FileSystem {
    public func exists(_ path: String) -> Bool { stat(path) != nil }

    /// For file systems without symbolic links (the in-memory one), `stat`.
    public func linkStat(_ path: String) -> FileStat? { stat(path) }
}

/// A file operation failed; the message names the path.
public struct FileSystemError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// Joins a root and a relative path ("a/b") without normalising; an absolute
/// path (e.g. a dataset outside the project) is returned as it is.
func joinPath(_ root: String, _ relative: String) -> String {
    if relative.isEmpty { return root }
    if relative.hasPrefix("/") { return relative }
    return root.hasSuffix("/") ? root + relative : root + "/" + relative
}

/// The directory part of a path ("/a/b/c" → "/a/b").
func parentPath(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// The disk failed (exit 1).
extension FileSystemError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
