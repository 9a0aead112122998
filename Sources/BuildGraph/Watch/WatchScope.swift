/// The directory tree a watcher covers and the sub-trees it ignores.
///
/// Pruning happens before a directory is watched, so the tool's own writes
/// (its output folder, its state folder, `.git/`: the tool names them) never
/// wake the watch loop.
public struct WatchScope: Sendable, Equatable {
    /// Absolute path of the watched directory, without a trailing slash.
    public let root: String
    /// Paths relative to `root` whose whole sub-tree is ignored.
    public let excluded: [String]

    public init(root: String, excluded: [String]) {
        self.root = Self.normalized(root)
        self.excluded = excluded.map { Self.trimmingSlashes($0) }.filter { !$0.isEmpty }
    }

    /// True when `path` is one of the excluded sub-trees or lies inside one.
    public func excludes(_ path: String) -> Bool {
        guard let relative = relativePath(of: path) else { return false }
        return excluded.contains { relative == $0 || relative.hasPrefix($0 + "/") }
    }

    /// `path` relative to `root`, or nil when it lies outside (or is the root).
    public func relativePath(of path: String) -> String? {
        let prefix = root == "/" ? "/" : root + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// Joins a directory and an entry name the way watchers report paths.
    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    private static func normalized(_ path: String) -> String {
        var result = path
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }

    private static func trimmingSlashes(_ path: String) -> String {
        var result = Substring(path)
        while result.hasPrefix("./") { result = result.dropFirst(2) }
        while result.hasPrefix("/") { result = result.dropFirst() }
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
