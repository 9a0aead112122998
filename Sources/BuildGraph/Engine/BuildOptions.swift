import Allocation
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
    /// The default of `keepBuilds` (and of `lutbuild gc --keep-builds`).
    public static let defaultKeptBuilds = 5
    /// A cache shared with other checkouts and CI, if any (docs/remote-cache.md).
    public var remoteCache: RemoteCacheSettings?
    /// `--audit`: the share (0…1) of the steps a build would reuse that it
    /// runs again to check that their key determines their output.
    public var audit: AuditSample?

    public init(
        concurrency: Int = CPUAllocation.count,
        force: @escaping @Sendable (String) -> Bool = { _ in false },
        isCancelled: @escaping @Sendable () -> Bool = { false },
        keepBuilds: Int = BuildOptions.defaultKeptBuilds, remoteCache: RemoteCacheSettings? = nil, audit: AuditSample? = nil
    ) {
        self.concurrency = max(1, concurrency)
        self.force = force
        self.isCancelled = isCancelled
        self.keepBuilds = keepBuilds
        // The end of the build's wait for uploads stops at an interrupt too.
        self.remoteCache = remoteCache.map { settings in
            var settings = settings
            let interrupted = settings.isInterrupted
            settings.isInterrupted = { interrupted() || isCancelled() }
            return settings
        }
        self.audit = audit
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
    /// Unit ids run again by `--audit`, and those whose output differed from the reused one.
    public var audited: [String] = []
    public var auditFindings: [AuditFinding] = []

    public init() {}
}

/// Which reusable steps an audit runs again: a fixed share of them, chosen by
/// key (so the same build audits the same steps, and a share of 1 all of them).
public struct AuditSample: Sendable, Equatable {
    public var fraction: Double

    public init(fraction: Double) { self.fraction = min(max(fraction, 0), 1) }

    func includes(_ key: Digest) -> Bool {
        if fraction >= 1 { return true }
        let leading = key.hex.prefix(15).reduce(UInt64(0)) { $0 << 4 | UInt64($1.hexDigitValue ?? 0) }
        return Double(leading) / Double(1 << 60) < fraction
    }
}

/// A step the audit ran again whose output differed from the one its key had
/// stored: its key does not determine its output (a key leak, a
/// nondeterministic step, or a damaged cache entry).
public struct AuditFinding: Sendable, Equatable, CustomStringConvertible {
    public var unit: String
    /// The outputs that differed, by name.
    public var outputs: [String]

    public init(unit: String, outputs: [String]) {
        self.unit = unit
        self.outputs = outputs
    }

    public var description: String {
        "\(unit): output \(outputs.map { "'\($0)'" }.joined(separator: ", ")) differs from the stored result for the same key"
    }
}
