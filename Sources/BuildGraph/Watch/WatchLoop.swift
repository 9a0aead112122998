import Dispatch

/// What `WatchLoop` hands to the caller's build closure.
public struct WatchBuildRequest: Sendable {
    /// 1 for the first build of the session, then 2, 3, …
    public let number: Int
    /// Inputs whose content changed since the previous build was requested
    /// (sorted); empty for the initial build.
    public let changedPaths: [String]
    /// Set when the build's inputs changed again; the build's `Task` is
    /// cancelled too. Long steps should stop at their next checkpoint.
    public let cancellation: CancellationFlag
}

/// Everything the loop tells its caller, one case per line of output.
public enum WatchReport: Sendable, Equatable {
    case buildStarted(number: Int, changedPaths: [String])
    /// `summary` is the build closure's one-line result.
    case buildSucceeded(number: Int, summary: String)
    /// A config or data error: printed, and watching continues.
    case buildFailed(number: Int, message: String)
    /// Stopped because its inputs changed again (a follow-up build comes next) or the loop stopped.
    case buildCancelled(number: Int)
}

/// Tuning of a `WatchLoop`.
public struct WatchOptions: Sendable {
    /// Quiet time after the last event before inputs are compared.
    public var debounceMilliseconds: Int
    /// Build once when watching starts, before any change.
    public var buildOnStart: Bool

    /// The default quiet time (and `lutbuild watch --debounce-ms`'s).
    public static let defaultDebounceMilliseconds = 100

    public init(debounceMilliseconds: Int = WatchOptions.defaultDebounceMilliseconds, buildOnStart: Bool = true) {
        self.debounceMilliseconds = debounceMilliseconds
        self.buildOnStart = buildOnStart
    }
}

/// Turns file-system events into builds: debounced, filtered to the declared
/// inputs, confirmed by content digest, and never more than one build at a
/// time plus at most one follow-up.
///
/// It knows nothing about what a build is: the caller supplies the input set
/// (re-read after every build, since a changed project file can change it),
/// the build itself, and where reports go. It reads inputs through the
/// engine's `FileSystem`, compares them by the engine's `Digest` and waits on
/// a `SchedulingClock`, so its tests run in memory on a fake clock.
///
/// The loop's own work (events, debounce, digests, cancellation) runs on a
/// private dispatch queue, not on Swift's cooperative thread pool, so it stays
/// responsive — and can cancel a build — even while the build keeps every
/// pool thread busy. Only the build closure runs as a task.
public final class WatchLoop: @unchecked Sendable {
    /// The absolute paths of the files the build reads.
    public typealias Inputs = @Sendable () -> Set<String>
    /// Runs one build and returns its one-line summary; throws on a build error.
    public typealias Build = @Sendable (WatchBuildRequest) async throws -> String
    /// Called on the loop's queue, one report at a time.
    public typealias Report = @Sendable (WatchReport) -> Void

    private enum FileState: Equatable {
        case absent
        case content(Digest)
    }

    private let watcher: any ChangeWatcher
    private let options: WatchOptions
    private let inputs: Inputs
    private let build: Build
    private let report: Report
    private let fileSystem: any FileSystem
    private let clock: any SchedulingClock
    private let queue = DispatchQueue(label: "lutbuild.watch.loop")

    // Everything mutable below is touched only on `queue`.
    /// Inputs and their state when a build was last requested for them.
    private var tracked: [String: FileState] = [:]
    private var pendingPaths = Set<String>()
    private var pendingRescan = false
    private var debounce: ScheduledWork?
    /// Bumped by every event, so a debounce that was already on its way when
    /// a newer event arrived does nothing.
    private var eventCount = 0
    private var running: (task: Task<Void, Never>, flag: CancellationFlag)?
    /// Changes that arrived while a build ran; they start the next one.
    private var followUp: Set<String>?
    private var buildCount = 0
    private var stopped = false
    /// After a failed build, saving an input again retries even with the same
    /// content (the failure may have had nothing to do with it, e.g. a killed build).
    private var lastBuildFailed = false

    public init(
        watcher: any ChangeWatcher, options: WatchOptions = WatchOptions(),
        fileSystem: any FileSystem = LocalFileSystem(), clock: any SchedulingClock = SystemClock(),
        inputs: @escaping Inputs, build: @escaping Build, report: @escaping Report
    ) {
        self.watcher = watcher
        self.options = options
        self.fileSystem = fileSystem
        self.clock = clock
        self.inputs = inputs
        self.build = build
        self.report = report
    }

    /// Starts watching (and the initial build if asked); returns at once.
    /// An event is taken in before the watcher's handler returns, so a test
    /// that emits one and then moves the clock sees its debounce.
    public func start() throws {
        try watcher.start { [weak self] event in
            guard let self else { return }
            self.queue.sync { self.receive(event) }
        }
        queue.sync {
            refreshInputs()
            if options.buildOnStart { startBuild(changed: []) }
        }
    }

    /// Stops watching, cancels a running build and waits for it to end.
    public func stop() async {
        watcher.stop()
        let task: Task<Void, Never>? = queue.sync {
            stopped = true
            debounce?.cancel()
            followUp = nil
            running?.flag.cancel()
            running?.task.cancel()
            return running?.task
        }
        await task?.value
    }

    private func receive(_ event: WatchEvent) {
        guard !stopped else { return }
        switch event {
        case .changed(let paths): pendingPaths.formUnion(paths)
        case .rescan: pendingRescan = true
        }
        debounce?.cancel()
        eventCount += 1
        let event = eventCount
        debounce = clock.schedule(after: UInt64(max(0, options.debounceMilliseconds)) * 1_000_000) { [weak self] in
            guard let self else { return }
            self.queue.sync { self.settle(after: event) }
        }
    }

    /// Compares the inputs the pending events may have touched with their
    /// last state, if no event came after `event`.
    private func settle(after event: Int) {
        guard event == eventCount, !stopped else { return }
        debounce = nil
        let candidates = pendingRescan ? Set(tracked.keys) : Self.affected(Set(tracked.keys), by: pendingPaths)
        pendingPaths = []
        pendingRescan = false
        var changed: [String] = []
        for (path, state) in states(of: candidates) where tracked[path] != state || lastBuildFailed {
            tracked[path] = state
            changed.append(path)
        }
        if !changed.isEmpty { requestBuild(changed: changed) }
    }

    private func requestBuild(changed: [String]) {
        guard !stopped else { return }
        if let running {
            followUp = (followUp ?? []).union(changed)
            running.flag.cancel()
            running.task.cancel()
        } else {
            startBuild(changed: changed)
        }
    }

    private func startBuild(changed: [String]) {
        buildCount += 1
        let request = WatchBuildRequest(number: buildCount, changedPaths: changed.sorted(), cancellation: CancellationFlag())
        report(.buildStarted(number: request.number, changedPaths: request.changedPaths))
        let build = self.build
        let task = Task.detached { [weak self] in
            let outcome: WatchReport
            do {
                outcome = .buildSucceeded(number: request.number, summary: try await build(request))
            } catch {
                outcome =
                    request.cancellation.isCancelled || error is CancellationError
                    ? .buildCancelled(number: request.number)
                    : .buildFailed(number: request.number, message: String(describing: error))
            }
            guard let self else { return }
            self.queue.async { self.finished(outcome) }
        }
        running = (task, request.cancellation)
    }

    private func finished(_ outcome: WatchReport) {
        running = nil
        switch outcome {
        case .buildFailed: lastBuildFailed = true
        case .buildSucceeded: lastBuildFailed = false
        default: break
        }
        // Inputs first: once the outcome is out, a save must be compared with the new set.
        if !stopped { refreshInputs() }
        report(outcome)
        guard !stopped else { return }
        if let next = followUp {
            followUp = nil
            startBuild(changed: Array(next))
        }
    }

    /// Re-reads the input set; new inputs get a baseline state, dropped ones are forgotten.
    private func refreshInputs() {
        let wanted = inputs()
        for path in tracked.keys where !wanted.contains(path) { tracked.removeValue(forKey: path) }
        for (path, state) in states(of: wanted.filter { tracked[$0] == nil }) {
            tracked[path] = state
        }
    }

    /// The inputs equal to, or inside a directory equal to, one of `paths`.
    private static func affected(_ inputs: Set<String>, by paths: Set<String>) -> Set<String> {
        guard !paths.isEmpty else { return [] }
        return inputs.filter { input in
            var candidate = Substring(input)
            while !candidate.isEmpty {
                if paths.contains(String(candidate)) { return true }
                guard let slash = candidate.lastIndex(of: "/") else { break }
                candidate = candidate[..<slash]
            }
            return false
        }
    }

    /// Each path's content digest; a missing or unreadable file is a state of its own.
    private func states(of paths: Set<String>) -> [String: FileState] {
        var result: [String: FileState] = [:]
        for path in paths {
            result[path] = (try? fileSystem.read(path)).map { .content(Digest.of($0)) } ?? .absent
        }
        return result
    }
}
