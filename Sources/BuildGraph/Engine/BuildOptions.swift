import Foundation

/// How to run a build.
public struct BuildOptions: Sendable {
    /// Steps running at once (steps declaring `usesAllCores` always run alone).
    public var concurrency: Int
    /// Unit ids to rebuild even if cached (e.g. `--retrain layer2`).
    public var force: @Sendable (String) -> Bool
    /// Polled by the engine and by steps (watch mode cancels a running build).
    public var isCancelled: @Sendable () -> Bool
    /// Builds whose outputs `gc` keeps besides the lock file's.
    public var keepBuilds: Int
    /// A cache shared with other checkouts and CI, if any (docs/remote-cache.md).
    public var remoteCache: RemoteCacheSettings?

    public init(concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                force: @escaping @Sendable (String) -> Bool = { _ in false },
                isCancelled: @escaping @Sendable () -> Bool = { false },
                keepBuilds: Int = 5, remoteCache: RemoteCacheSettings? = nil) {
        self.concurrency = max(1, concurrency)
        self.force = force
        self.isCancelled = isCancelled
        self.keepBuilds = keepBuilds
        self.remoteCache = remoteCache
    }
}

/// What a build did.
public struct BuildSummary: Sendable, Equatable {
    /// Unit ids that were produced by running their step, in completion order.
    /// A step may have several units (e.g. one per partition it trains), so
    /// this counts more than the progress counter's steps.
    public var ran: [String] = []
    /// Step ids that ran (at least one unit), in completion order: the steps
    /// the progress counter `[done/total]` counts, less those reused whole.
    public var ranSteps: [String] = []
    /// Step ids whose every unit was reused from the cache.
    public var cached: [String] = []
    /// Unit ids that were stale but reused the result of an equal unit under
    /// another id that ran earlier in this build (same key, so the same work).
    public var reusedFromEqual: [String] = []
    /// Published paths written because their content changed.
    public var written: [String] = []
    /// Published paths removed because no step publishes them any more.
    public var removed: [String] = []
    /// Corrupt store objects found (deleted and rebuilt).
    public var corruptObjects: [Digest] = []
    /// Unit ids whose results were downloaded from the remote cache instead of run.
    public var fetched: [String] = []
    /// Units whose results were uploaded to the remote cache.
    public var uploaded = 0

    public init() {}
}
