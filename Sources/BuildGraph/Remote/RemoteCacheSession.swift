import Foundation
import Synchronization

/// One build's use of a remote cache (see `RemoteCacheSettings`): a stale
/// unit's result is looked up before the unit runs, and a unit's result is
/// uploaded in the background once it has run.
///
/// The server is never trusted: every download is checked against its digest,
/// and anything wrong is a miss for that one step. A server that cannot be
/// used (refused, unknown, credentials, TLS) or fails `failuresBeforeStopping`
/// requests in a row (no answer in time, 5xx) is not used again in this build,
/// with one warning. Other problems (damaged entries, broken transfers) are
/// counted per cause, summed up in one warning line per cause at the end, and
/// listed one per line in `logPath`.
///
/// Lookups and uploads have their own request slots; uploads wait in a
/// bounded queue, so they never hold up a lookup or a step.
final class RemoteCacheSession: Sendable {
    /// A unit to look up: its index in its node, key and output names.
    struct Lookup: Sendable {
        var unit: Int
        var key: Digest
        var outputs: [String]
    }

    /// Failures of the server itself in a row (no success between) that stop its use.
    static let failuresBeforeStopping = 3

    /// The log of this build's remote cache problems, next to the local cache's objects.
    static func logPath(objectsDirectory: String) -> String { joinPath(parentPath(objectsDirectory), "remote-cache.log") }

    private enum Direction { case read, write }

    /// What went wrong with one step's entry or transfer; one summary line each.
    private enum Problem: String, CaseIterable {
        case foreignResult = "foreign-result", damagedObject = "damaged-object", failedDownload = "failed-download"
        case failedUpload = "failed-upload", queueFull = "upload-queue-full"
    }

    private struct State {
        var readsStopped = false
        var writesStopped = false
        /// A direction stopped because of the server, with its warning (not by an interrupt or the upload wait).
        var readsWarned = false
        var writesWarned = false
        /// Server failures since the last success, per direction.
        var readFailuresInARow = 0
        var writeFailuresInARow = 0
        /// Objects known to be on the server (downloaded or uploaded by this build).
        var remoteObjects: Set<Digest> = []
        var uploads: [Task<Void, Never>] = []
        var pendingUploads = 0
        var uploadedUnits = 0
        var problems: [Problem: (count: Int, first: String)] = [:]
        var logStarted = false
        var summarised = false
    }

    private static let emptyDigest = Digest.of(Data())

    private let settings: RemoteCacheSettings
    private let store: ObjectStore
    private let events: @Sendable (BuildEvent) -> Void
    private let state = Mutex(State())
    private let lookupSlots: AsyncSemaphore
    private let uploadSlots: AsyncSemaphore
    let logPath: String

    init(settings: RemoteCacheSettings, store: ObjectStore, events: @escaping @Sendable (BuildEvent) -> Void) {
        self.settings = settings
        self.store = store
        self.events = events
        lookupSlots = AsyncSemaphore(settings.concurrency)
        uploadSlots = AsyncSemaphore(settings.uploadConcurrency)
        logPath = Self.logPath(objectsDirectory: store.directory)
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
        let entry = "ac/\(lookup.key.hex)"
        guard let answer = await perform(.read, entry, { try await cache.get(.actionCache, lookup.key) }),
            let record = answer
        else { return nil }
        guard let result = RemoteActionResult(decoding: record), Set(result.outputs.keys) == Set(lookup.outputs) else {
            note(.foreignResult, "\(entry) (\(record.count) bytes) is not a lutbuild result for this step")
            return nil
        }
        for (_, output) in result.outputs.sorted(by: { $0.key < $1.key }) where !store.contains(output.digest) {
            var data = Data()
            if output.digest != Self.emptyDigest {
                let object = "cas/\(output.digest.hex)"
                guard let answer = await perform(.read, object, { try await cache.get(.content, output.digest) }),
                    let fetched = answer
                else { return nil }
                guard fetched.count == output.size, Digest.of(fetched) == output.digest else {
                    note(.damagedObject, "\(object) does not match its digest (\(fetched.count) bytes, expected \(output.size))")
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

    // MARK: - Uploads

    /// Queues a unit's result for upload and returns at once: its objects
    /// first, then the action result naming them, so a reader never finds a
    /// result whose content is not there yet. A full queue skips the result.
    func upload(key: Digest, outputs: [String: Digest]) {
        guard writes else { return }
        let queued = state.withLock { state in
            guard state.pendingUploads < settings.uploadQueueLimit else { return false }
            state.pendingUploads += 1
            return true
        }
        guard queued else {
            note(.queueFull, "ac/\(key.hex): \(settings.uploadQueueLimit) uploads were already waiting")
            return
        }
        let task = Task {
            await self.uploadSlots.wait()
            await self.send(key: key, outputs: outputs)
            self.uploadSlots.signal()
            self.state.withLock { $0.pendingUploads -= 1 }
        }
        state.withLock { $0.uploads.append(task) }
    }

    private func send(key: Digest, outputs: [String: Digest]) async {
        guard writes, !Task.isCancelled else { return }
        let cache = settings.cache
        var result = RemoteActionResult(outputs: [:])
        for (name, digest) in outputs.sorted(by: { $0.key < $1.key }) {
            guard let data = try? store.get(digest) else { return }
            result.outputs[name] = RemoteActionResult.Output(digest: digest, size: data.count)
            if data.isEmpty || state.withLock({ $0.remoteObjects.contains(digest) }) { continue }
            guard await perform(.write, "cas/\(digest.hex)", { try await cache.put(.content, digest, data) }) != nil else { return }
            state.withLock { _ = $0.remoteObjects.insert(digest) }
        }
        let record = result.encoded
        guard await perform(.write, "ac/\(key.hex)", { try await cache.put(.actionCache, key, record) }) != nil else { return }
        state.withLock { $0.uploadedUnits += 1 }
    }

    /// Waits for the queued uploads, at most `uploadWait` (saying so when any
    /// are left), sums up the build's problems, and returns how many units were
    /// uploaded; unfinished uploads are abandoned with a warning.
    func finishUploads() async -> Int {
        let (tasks, pending) = state.withLock { ($0.uploads, $0.pendingUploads) }
        if pending > 0 {
            events(
                .progress(
                    step: "remote cache",
                    message:
                        "waiting up to \(settings.uploadWait.formattedSeconds) s for \(pending) upload\(pending == 1 ? "" : "s")"
                        + " to \(settings.cache.displayName)"
                ))
        }
        let finished = await Self.waitForAll(tasks, within: settings.uploadWait, unless: settings.isInterrupted)
        if !finished {
            // Counted before cancelling: a cancelled upload ends at once and leaves the count.
            let pending = state.withLock { $0.pendingUploads }
            abandonUploads()
            if pending > 0 {
                let why =
                    settings.isInterrupted()
                    ? "were abandoned at the interrupt"
                    : "did not finish within \(settings.uploadWait.formattedSeconds) s and were abandoned"
                events(
                    .warning(
                        "remote cache \(settings.cache.displayName): \(pending) upload(s) \(why); those results stay in this"
                            + " checkout's cache"
                    ))
            }
        }
        summarise()
        return state.withLock { $0.uploadedUnits }
    }

    /// Stops the uploads at once (the build was interrupted).
    func abandonUploads() {
        state.withLock { $0.writesStopped = true }
        for task in state.withLock({ $0.uploads }) { task.cancel() }
    }

    /// True when every task finished within `limit`; false at the limit or as soon as `interrupted`.
    private static func waitForAll(
        _ tasks: [Task<Void, Never>], within limit: Duration,
        unless interrupted: @escaping @Sendable () -> Bool
    ) async -> Bool {
        let race = Race()
        return await withCheckedContinuation { continuation in
            race.start(continuation)
            let timer = Task {
                let deadline = ContinuousClock.now + limit
                while ContinuousClock.now < deadline, !interrupted(), !Task.isCancelled {
                    try? await Task.sleep(for: min(.milliseconds(50), deadline - ContinuousClock.now))
                }
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

    /// Runs one request on its direction's slots; nil when that direction is
    /// stopped or the request fails (a miss for this step; see `failed`).
    private func perform<T: Sendable>(
        _ direction: Direction, _ entry: String,
        _ request: @Sendable () async throws -> T
    ) async -> T? {
        guard direction == .read ? reads : writes else { return nil }
        let slots = direction == .read ? lookupSlots : uploadSlots
        // Uploads hold an upload slot for their whole result already.
        if direction == .read { await slots.wait() }
        defer { if direction == .read { slots.signal() } }
        guard direction == .read ? reads : writes else { return nil }
        do {
            let answer = try await request()
            state.withLock { state in
                if direction == .read { state.readFailuresInARow = 0 } else { state.writeFailuresInARow = 0 }
            }
            return answer
        } catch is CancellationError {
            return nil
        } catch {
            failed(direction, entry, error)
            return nil
        }
    }

    /// One failed request: a server that cannot be used, or fails repeatedly,
    /// is stopped (reads stop writes too; refused or failing uploads leave
    /// reads on while reads work); anything else is a miss for that step,
    /// counted for the summary.
    private func failed(_ direction: Direction, _ entry: String, _ error: any Error) {
        let kind = (error as? RemoteCacheError)?.kind ?? .serverFailure
        let stops = state.withLock { state -> Direction? in
            switch kind {
            case .unusable: return direction
            case .badTransfer: return nil
            case .serverFailure:
                if direction == .read {
                    state.readFailuresInARow += 1
                    return state.readFailuresInARow >= Self.failuresBeforeStopping ? .read : nil
                }
                state.writeFailuresInARow += 1
                guard state.writeFailuresInARow >= Self.failuresBeforeStopping else { return nil }
                // Failing reads too: the server itself is failing, not only its uploads.
                return state.readFailuresInARow > 0 ? .read : .write
            }
        }
        note(direction == .read ? .failedDownload : .failedUpload, "\(entry): \(error)")
        if let stops { stop(stops, because: error) }
    }

    private func stop(_ direction: Direction, because error: any Error) {
        let first = state.withLock { state in
            let wasUsable = direction == .read ? !state.readsStopped : !state.writesStopped
            state.writesStopped = true
            state.writesWarned = true
            if direction == .read {
                state.readsStopped = true
                state.readsWarned = true
            }
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

    // MARK: - Problems

    /// Counts a problem and writes it to the log (the first of the build starts a new log).
    /// Whether this line starts the log is decided under the same lock as the write: decided
    /// apart, a later problem's line could be appended before the first one's new log
    /// replaced the file, and be lost (`problemsAreSummedUpPerCause…` lost one of 7 lines in
    /// 22 of 60 runs, none in 60 since).
    private func note(_ problem: Problem, _ detail: String) {
        let line = Data("\(Date().ISO8601Format()) \(problem.rawValue): \(detail)\n".utf8)
        let header = Data("# lutbuild: remote cache \(settings.cache.displayName), problems of one build, one per line\n".utf8)
        state.withLock { state in
            let entry = state.problems[problem] ?? (0, detail)
            state.problems[problem] = (entry.count + 1, entry.first)
            let startsLog = !state.logStarted
            state.logStarted = true
            if startsLog {
                try? store.fileSystem.createDirectory(parentPath(logPath))
                try? store.fileSystem.writeAtomically(logPath, header + line)
            } else {
                try? store.fileSystem.append(logPath, line)
            }
        }
    }

    /// One warning per cause, with its count, its first case and where the rest is.
    private func summarise() {
        let (problems, readsWarned, writesWarned, done) = state.withLock { state in
            defer { state.summarised = true }
            return (state.problems, state.readsWarned, state.writesWarned, state.summarised)
        }
        guard !done else { return }
        let name = settings.cache.displayName
        for problem in Problem.allCases {
            guard let entry = problems[problem] else { continue }
            let (count, first) = entry
            let what: String
            switch problem {
            case .foreignResult:
                what = "\(count) action result\(count == 1 ? " was" : "s were") not lutbuild's for their step; built locally"
            case .damagedObject:
                what = "\(count) object\(count == 1 ? "" : "s") did not match \(count == 1 ? "its" : "their") digest; built locally"
            case .failedDownload:
                // A stopped server has had its warning.
                guard !readsWarned else { continue }
                what = "\(count) download\(count == 1 ? "" : "s") failed; built locally"
            case .failedUpload:
                guard !writesWarned else { continue }
                what = "\(count) upload\(count == 1 ? "" : "s") failed; kept in this checkout's cache only"
            case .queueFull:
                what =
                    "\(count) result\(count == 1 ? " was" : "s were") not uploaded (more than \(settings.uploadQueueLimit)"
                    + " waiting); kept in this checkout's cache only"
            }
            events(.warning("remote cache \(name): \(what) (first: \(first)); details in \(logPath)"))
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
