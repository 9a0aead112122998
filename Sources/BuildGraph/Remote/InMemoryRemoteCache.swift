import Foundation
import Synchronization

/// A remote cache in memory, for tests of the engine: it stores what is put,
/// counts requests, and can be made to fail or to hand out damaged bytes.
public final class InMemoryRemoteCache: RemoteCache {
    public enum Fault: Sendable {
        /// Every request throws this error (a server that is down).
        case failing(RemoteCacheError)
        /// Uploads never finish until cancelled (a server that stalls).
        case stallingUploads
        /// Each upload takes this long (a slow server).
        case slowUploads(Duration)
        /// The next `count` downloads throw `error`, then the server recovers.
        case failingDownloads(RemoteCacheError, count: Int)
    }

    private struct State {
        var entries: [String: Data] = [:]
        var fault: Fault?
        var gets = 0
        var puts = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var displayName: String { "memory" }

    public var fault: Fault? {
        get { state.withLock { $0.fault } }
        set { state.withLock { $0.fault = newValue } }
    }

    /// Requests served so far.
    public var requestCounts: (gets: Int, puts: Int) { state.withLock { ($0.gets, $0.puts) } }

    /// Every stored entry's path (`ac/<hex>`, `cas/<hex>`), sorted.
    public var paths: [String] { state.withLock { $0.entries.keys.sorted() } }

    public subscript(store: RemoteStore, digest: Digest) -> Data? {
        get { state.withLock { $0.entries[Self.path(store, digest)] } }
        set { state.withLock { $0.entries[Self.path(store, digest)] = newValue } }
    }

    public func get(_ store: RemoteStore, _ digest: Digest) async throws -> Data? {
        let (data, fault) = state.withLock { state in
            state.gets += 1
            let fault = state.fault
            if case .failingDownloads(let error, let count) = fault {
                state.fault = count > 1 ? .failingDownloads(error, count: count - 1) : nil
            }
            return (state.entries[Self.path(store, digest)], fault)
        }
        switch fault {
        case .failing(let error), .failingDownloads(let error, _): throw error
        default: return data
        }
    }

    public func put(_ store: RemoteStore, _ digest: Digest, _ data: Data) async throws {
        switch fault {
        case .failing(let error): throw error
        case .stallingUploads:
            while !Task.isCancelled { try await Task.sleep(for: .milliseconds(5)) }
            throw CancellationError()
        case .slowUploads(let delay):
            try await Task.sleep(for: delay)
            state.withLock { state in
                state.puts += 1
                state.entries[Self.path(store, digest)] = data
            }
        case .failingDownloads, nil:
            state.withLock { state in
                state.puts += 1
                state.entries[Self.path(store, digest)] = data
            }
        }
    }

    private static func path(_ store: RemoteStore, _ digest: Digest) -> String { "\(store.rawValue)/\(digest.hex)" }
}
