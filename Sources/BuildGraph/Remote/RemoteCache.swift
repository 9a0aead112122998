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
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Whether a build may write to the remote cache.
public enum RemoteCacheMode: String, Sendable, CaseIterable {
    /// Reuse what others uploaded, upload nothing (e.g. laptops reading what CI wrote).
    case read
    /// Reuse and upload.
    case readWrite = "read-write"
}

/// A build's remote cache and how to use it.
public struct RemoteCacheSettings: Sendable {
    public var cache: any RemoteCache
    public var mode: RemoteCacheMode
    /// The longest the end of a build waits for unfinished uploads; what is
    /// not uploaded by then stays local only.
    public var uploadWait: Duration
    /// Requests in flight at once.
    public var concurrency: Int

    public init(cache: any RemoteCache, mode: RemoteCacheMode = .readWrite, uploadWait: Duration = .seconds(30),
                concurrency: Int = 8) {
        self.cache = cache
        self.mode = mode
        self.uploadWait = uploadWait
        self.concurrency = max(1, concurrency)
    }
}
