/// Where the engine keeps its files inside a project.
public struct ProjectLayout: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var stateDirectory: String { joinPath(root, ".lutbuild") }
    public var cacheDirectory: String { joinPath(stateDirectory, "cache") }
    public var objectsDirectory: String { joinPath(cacheDirectory, "objects") }
    public var actionIndex: String { joinPath(cacheDirectory, "index") }
    public var history: String { joinPath(cacheDirectory, "history") }
    public var statCache: String { joinPath(stateDirectory, "stat-cache") }
    public var buildLock: String { joinPath(stateDirectory, "lock") }
    public var scratchDirectory: String { joinPath(stateDirectory, "scratch") }
    public var lockFile: String { joinPath(root, "lutbuild.lock") }

    /// The absolute path of a project-relative path.
    public func absolute(_ relative: String) -> String { joinPath(root, relative) }
}
