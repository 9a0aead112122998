import RemoteCacheAddress
import Diagnostics
import Foundation

/// The two stores of a shared cache, as the Bazel HTTP cache protocol lays
/// them out: action results under `ac/<key>`, content under `cas/<sha256>`.
public enum RemoteStore: String, Sendable, CaseIterable {
    case actionCache = "ac"
    case content = "cas"
}

/// A cache shared by a team's checkouts and CI (see docs/remote-cache.md).
///
/// Implementations only move bytes; the engine verifies everything it
/// downloads against its digest, so a server may be wrong without harm.
public protocol RemoteCache: Sendable {
    /// Where the cache is, for messages; never holds credentials.
    var displayName: String { get }
    /// The bytes stored under `digest`, or nil when the server does not have
    /// them (a miss). Throws `RemoteCacheError` when the server cannot answer.
    func get(_ store: RemoteStore, _ digest: Digest) async throws -> Data?
    /// Stores `data` under `digest`; throws `RemoteCacheError` when refused.
    func put(_ store: RemoteStore, _ digest: Digest, _ data: Data) async throws
}

/// A remote cache could not answer (unreachable, timed out, an error status,
/// full); the message says what happened and, where it can, how to fix it.
public struct RemoteCacheError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What a failure says about the server, which decides what the build does next.
    public enum Kind: Sendable, Equatable {
        /// No request can succeed in this build (refused, unknown host, credentials, TLS,
        /// a refused upload): the build stops using the server (that direction) at once.
        case unusable
        /// The server failed this request (no answer in time, a 5xx); a later one may work.
        /// Repeated ones stop the build's use of it.
        case serverFailure
        /// This one transfer went wrong (a truncated download, an object too large):
        /// a miss for that step, nothing more.
        case badTransfer
    }

    public var description: String
    public var kind: Kind

    public init(_ description: String, kind: Kind = .serverFailure) {
        self.description = description
        self.kind = kind
    }
}

/// A build's remote cache and how to use it.
public struct RemoteCacheSettings: Sendable {
    public var cache: any RemoteCache
    public var mode: RemoteCacheMode
    /// The longest the end of a build waits for unfinished uploads; what is
    /// not uploaded by then stays local only.
    public var uploadWait: Duration
    /// Lookups (downloads) in flight at once.
    public var concurrency: Int
    /// Uploads in flight at once, on their own slots, so they never hold up lookups.
    public var uploadConcurrency: Int
    /// Results waiting to be uploaded at most; a result beyond it is not uploaded
    /// (it stays in this checkout's cache), so a slow server cannot pile up work.
    public var uploadQueueLimit: Int
    /// Polled while the end of the build waits for uploads: true abandons them at
    /// once (an interrupt; `BuildOptions` adds its `isCancelled`).
    public var isInterrupted: @Sendable () -> Bool = { false }

    public init(
        cache: any RemoteCache, mode: RemoteCacheMode = .readWrite, uploadWait: Duration = .seconds(30),
        concurrency: Int = 8, uploadConcurrency: Int = 4, uploadQueueLimit: Int = 4096
    ) {
        self.cache = cache
        self.mode = mode
        self.uploadWait = uploadWait
        self.concurrency = max(1, concurrency)
        self.uploadConcurrency = max(1, uploadConcurrency)
        self.uploadQueueLimit = max(1, uploadQueueLimit)
    }
}

/// The cache server failed (exit 1).
extension RemoteCacheError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
