import Foundation
import Synchronization

/// One build's use of a remote cache (see `RemoteCacheSettings`): a stale
/// unit's result is looked up before the unit runs, and a unit's result is
/// uploaded in the background once it has run.
///
/// The server is never trusted: every download is checked against its digest,
/// and anything wrong is a miss. When the server fails (unreachable, timed
/// out, an error status, full), the build stops using it for the rest of the
/// build with one warning and goes on locally.
final class RemoteCacheSession: Sendable {
    /// A unit to look up: its index in its node, key and output names.
    struct Lookup: Sendable {
        var unit: Int
        var key: Digest
        var outputs: [String]
    }

    private enum Direction { case read, write }

    private struct State {
        var readsStopped = false
        var writesStopped = false
        /// Objects known to be on the server (downloaded or uploaded by this build).
        var remoteObjects: Set<Digest> = []
        var uploads: [Task<Void, Never>] = []
        var pendingUploads = 0
        var uploadedUnits = 0
    }

    private static let emptyDigest = Digest.of(Data())

    private let settings: RemoteCacheSettings
    private let store: ObjectStore
    private let events: @Sendable (BuildEvent) -> Void
    private let state = Mutex(State())
    private let slots: AsyncSemaphore

    init(settings: RemoteCacheSettings, store: ObjectStore, events: @escaping @Sendable (BuildEvent) -> Void) {
        self.settings = settings
        self.store = store
        self.events = events
        slots = AsyncSemaphore(settings.concurrency)
    }

    var reads: Bool { !state.withLock { $0.readsStopped } }

    var writes: Bool { settings.mode == .readWrite && !state.withLock { $0.writesStopped } }

    // MARK: - Downloads

    /// The results found for `lookups` (unit index → output digests), with
    /// their objects already in the local store. A miss, a damaged entry or
    /// a failing server leaves the unit out, so it runs locally.
    func fetch(_ lookups: [Lookup]) async -> [Int: [String: Digest]] {
        await withTaskGroup(of: (Int, [String: Digest]?).self) { group in
            for lookup in lookups {
                group.addTask { (lookup.unit, await self.fetch(lookup)) }
            }
            var found: [Int: [String: Digest]] = [:]
            for await (unit, outputs) in group {
                if let outputs { found[unit] = outputs }
            }
            return found
        }
    }

    private func fetch(_ lookup: Lookup) async -> [String: Digest]? {
        let cache = settings.cache
        guard let answer = await perform(.read, { try await cache.get(.actionCache, lookup.key) }),
              let record = answer else { return nil }
        guard let result = RemoteActionResult(decoding: record), Set(result.outputs.keys) == Set(lookup.outputs) else {
            warnDamaged("the action result ac/\(lookup.key.hex) is not a lutbuild result for this step")
            return nil
        }
        for (_, output) in result.outputs.sorted(by: { $0.key < $1.key }) where !store.contains(output.digest) {
            var data = Data()
            if output.digest != Self.emptyDigest {
                guard let answer = await perform(.read, { try await cache.get(.content, output.digest) }),
                      let fetched = answer else { return nil }
                guard fetched.count == output.size, Digest.of(fetched) == output.digest else {
                    warnDamaged("the object cas/\(output.digest.hex) does not match its digest (\(fetched.count) bytes, expected \(output.size))")
                    return nil
                }
                data = fetched
            }
            // The local store failing (e.g. a full disk) is found again, and reported, when the unit runs.
            guard (try? store.put(data)) != nil else { return nil }
            state.withLock { _ = $0.remoteObjects.insert(output.digest) }
        }
        return result.outputs.mapValues(\.digest)
    }

    private func warnDamaged(_ what: String) {
        events(.warning("remote cache \(settings.cache.displayName): \(what); ignored, the step is built locally"))
    }

    // MARK: - Uploads

    /// Uploads a unit's result in the background: its objects first, then the
    /// action result naming them, so a reader never finds a result whose
    /// content is not there yet.
    func upload(key: Digest, outputs: [String: Digest]) {
        guard writes else { return }
        state.withLock { $0.pendingUploads += 1 }
        let task = Task {
            await self.send(key: key, outputs: outputs)
            self.state.withLock { $0.pendingUploads -= 1 }
        }
        state.withLock { $0.uploads.append(task) }
    }

    private func send(key: Digest, outputs: [String: Digest]) async {
        let cache = settings.cache
        var result = RemoteActionResult(outputs: [:])
        for (name, digest) in outputs.sorted(by: { $0.key < $1.key }) {
            guard let data = try? store.get(digest) else { return }
            result.outputs[name] = RemoteActionResult.Output(digest: digest, size: data.count)
            if data.isEmpty || state.withLock({ $0.remoteObjects.contains(digest) }) { continue }
            guard await perform(.write, { try await cache.put(.content, digest, data) }) != nil else { return }
            state.withLock { _ = $0.remoteObjects.insert(digest) }
        }
        let record = result.encoded
        guard await perform(.write, { try await cache.put(.actionCache, key, record) }) != nil else { return }
        state.withLock { $0.uploadedUnits += 1 }
    }

    /// Waits for the uploads, at most `uploadWait`, and returns how many
    /// units were uploaded; unfinished uploads are abandoned with a warning.
    func finishUploads() async -> Int {
        let tasks = state.withLock { $0.uploads }
        if !(await Self.waitForAll(tasks, within: settings.uploadWait)) {
            abandonUploads()
            let pending = state.withLock { $0.pendingUploads }
            if pending > 0 {
                events(.warning("remote cache \(settings.cache.displayName): \(pending) upload(s) did not finish within \(settings.uploadWait.formattedSeconds) s and were abandoned; those results stay in this checkout's cache"))
            }
        }
        return state.withLock { $0.uploadedUnits }
    }

    /// Stops the uploads at once (the build was interrupted).
    func abandonUploads() {
        state.withLock { $0.writesStopped = true }
        for task in state.withLock({ $0.uploads }) { task.cancel() }
    }

    private static func waitForAll(_ tasks: [Task<Void, Never>], within limit: Duration) async -> Bool {
        let race = Race()
        return await withCheckedContinuation { continuation in
            race.start(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                race.finish(false)
            }
            Task {
                for task in tasks { await task.value }
                race.finish(true)
                timer.cancel()
            }
        }
    }

    /// Whichever finishes first, the uploads or the timer, resumes the waiter.
    private final class Race: Sendable {
        private let waiter = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        func start(_ continuation: CheckedContinuation<Bool, Never>) { waiter.withLock { $0 = continuation } }
        func finish(_ value: Bool) { waiter.withLock { $0.take() }?.resume(returning: value) }
    }

    // MARK: - Requests

    /// Runs one request within the concurrency limit; nil when this
    /// direction is stopped or the request fails (which stops it, warning once).
    private func perform<T: Sendable>(_ direction: Direction, _ request: @Sendable () async throws -> T) async -> T? {
        guard direction == .read ? reads : writes else { return nil }
        await slots.wait()
        defer { slots.signal() }
        guard direction == .read ? reads : writes else { return nil }
        do {
            return try await request()
        } catch is CancellationError {
            return nil
        } catch {
            stop(direction, because: error)
            return nil
        }
    }

    /// A server that fails a read is not used again in this build; one that
    /// refuses an upload (e.g. full, or read-only for this user) is still read.
    private func stop(_ direction: Direction, because error: any Error) {
        let first = state.withLock { state in
            let wasUsable = direction == .read ? !state.readsStopped : !state.writesStopped
            state.writesStopped = true
            if direction == .read { state.readsStopped = true }
            return wasUsable
        }
        guard first else { return }
        let name = settings.cache.displayName
        switch direction {
        case .read:
            events(.warning("remote cache \(name) cannot be used (\(error)); building locally without it"))
        case .write:
            events(.warning("remote cache \(name) refused an upload (\(error)); this build uploads nothing more"))
        }
    }
}

extension Duration {
    /// Seconds as a number, e.g. for `TimeInterval`s.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Seconds for messages: `30`, `0.5`.
    public var formattedSeconds: String { String(format: "%g", inSeconds) }
}

/// Limits how many requests are in flight; waiters are served in order.
final class AsyncSemaphore: Sendable {
    private let state: Mutex<(available: Int, waiters: [CheckedContinuation<Void, Never>])>

    init(_ count: Int) { state = Mutex((count, [])) }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    func signal() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
