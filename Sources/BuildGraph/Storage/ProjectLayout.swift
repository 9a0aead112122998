/// Where the engine keeps its files inside a project. The names are the
/// tool's (handed in), not the engine's.
public struct ProjectLayout: Sendable {
    public let root: String
    /// The engine's folder (cache, stat cache, lock, scratch), relative to `root`.
    public let stateDirectoryName: String
    /// The committed lock file, relative to `root`.
    public let lockFileName: String

    public init(root: String, stateDirectoryName: String, lockFileName: String) {
        self.root = root
        self.stateDirectoryName = stateDirectoryName
        self.lockFileName = lockFileName
    }

    public var stateDirectory: String { joinPath(root, stateDirectoryName) }
    public var cacheDirectory: String { joinPath(stateDirectory, "cache") }
    public var objectsDirectory: String { joinPath(cacheDirectory, "objects") }
    public var actionIndex: String { joinPath(cacheDirectory, "index") }
    public var history: String { joinPath(cacheDirectory, "history") }
    public var statCache: String { joinPath(stateDirectory, "stat-cache") }
    public var buildLock: String { joinPath(stateDirectory, "lock") }
    public var scratchDirectory: String { joinPath(stateDirectory, "scratch") }
    public var lockFile: String { joinPath(root, lockFileName) }

    /// The absolute path of a project-relative path.
    public func absolute(_ relative: String) -> String { joinPath(root, relative) }
}
