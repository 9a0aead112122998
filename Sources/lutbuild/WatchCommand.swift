import ArgumentParser
import BuildGraph
import Foundation

/// `lutbuild watch`: rebuild on every save of the project file or its data.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Rebuild whenever lutbuild.toml or a declared input changes.",
        discussion: """
            Builds once, then watches the project folder (inotify, or --poll) and \
            rebuilds after each save that changes an input's content. A change \
            during a build stops it (training keeps its checkpoint) and builds \
            again. Errors are printed and watching continues. Ctrl-C stops.
            """
    )

    @Option(name: .long, help: "Project folder (the one holding lutbuild.toml).")
    var project: String = "."

    @Option(name: .customLong("debounce-ms"), help: "Quiet time after the last change before rebuilding.")
    var debounceMilliseconds: Int = 100

    @Flag(name: .long, help: "Poll file stamps instead of inotify (network or container file systems).")
    var poll = false

    @Option(name: .customLong("poll-interval-ms"), help: "Time between two polls with --poll.")
    var pollIntervalMilliseconds: Int = 500

    @Option(name: .long, help: "Another folder (relative to the project) to ignore; repeatable. gen, .lutbuild and .git are always ignored.")
    var exclude: [String] = []

    func validate() throws {
        guard debounceMilliseconds >= 0 else { throw ValidationError("--debounce-ms must be 0 or more") }
        guard pollIntervalMilliseconds > 0 else { throw ValidationError("--poll-interval-ms must be more than 0") }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: project).resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("lutbuild.toml").path) else {
            throw WatchError("no lutbuild.toml in \(root.path); pass --project DIR")
        }
        let scope = WatchScope(root: root.path, excluded: WatchScope.defaultExcluded + exclude)
        let watcher: any ChangeWatcher = poll
            ? PollWatcher(scope: scope, intervalMilliseconds: pollIntervalMilliseconds)
            : FileWatcher(scope: scope)
        let build = ChildBuild(project: root)
        let loop = WatchLoop(
            watcher: watcher,
            options: WatchOptions(debounceMilliseconds: debounceMilliseconds),
            inputs: { WatchInputs.paths(in: scope) },
            build: { try await build.run($0) },
            report: { say(WatchReportLine.text(for: $0, root: root.path)) }
        )
        let stop = StopSignals()
        say("watching \(root.path) (\(poll ? "polling every \(pollIntervalMilliseconds) ms" : "inotify"), Ctrl-C stops)")
        try await loop.start()
        await stop.wait()
        await loop.stop()
        throw ExitCode(130)
    }
}

/// Prints a line at once, so it interleaves correctly with the build's own output.
private func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// The inputs a rebuild depends on.
///
/// Every file of the project except the excluded folders and lutbuild.lock:
/// a superset of the declared inputs (project file and datasets), so no
/// change is missed; a save of an unrelated file costs one no-op build.
/// To be narrowed to the declared inputs once the pipeline exposes them.
enum WatchInputs {
    static func paths(in scope: WatchScope) -> Set<String> {
        var result = Set<String>()
        let lock = scope.root + "/lutbuild.lock"
        let enumerator = FileManager.default.enumerator(atPath: scope.root)
        while let relative = enumerator?.nextObject() as? String {
            let path = scope.root + "/" + relative
            if scope.excludes(path) {
                enumerator?.skipDescendants()
            } else if enumerator?.fileAttributes?[.type] as? FileAttributeType == .typeRegular, path != lock {
                result.insert(path)
            }
        }
        return result
    }
}

/// Runs `lutbuild build` in the project folder as a child process: the same
/// entry point as the build command, isolated so a crash cannot end the watch.
/// Cancelling the task interrupts the child (SIGINT), which stops at a checkpoint.
struct ChildBuild: Sendable {
    let project: URL

    func run(_ request: WatchBuildRequest) async throws -> String {
        let process = Process()
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["build"]
        process.currentDirectoryURL = project
        let started = Date()
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch { continuation.resume(throwing: error) }
            }
        } onCancel: {
            if process.isRunning { process.interrupt() }
        }
        let seconds = String(format: "%.1f s", Date().timeIntervalSince(started))
        if request.cancellation.isCancelled { throw CancellationError() }
        guard status == 0 else { throw WatchError("build failed (exit \(status)) after \(seconds); fix the error above and save again") }
        return "build ok in \(seconds)"
    }
}

/// One printed line per loop report.
enum WatchReportLine {
    static func text(for report: WatchReport, root: String) -> String {
        let time = timestamp()
        switch report {
        case .buildStarted(let number, let paths):
            let names = paths.map { $0.hasPrefix(root + "/") ? String($0.dropFirst(root.count + 1)) : $0 }
            let reason = names.isEmpty ? "initial build"
                : names.count <= 3 ? names.joined(separator: ", ") + " changed"
                : "\(names.count) inputs changed"
            return "[\(time)] build #\(number): \(reason)"
        case .buildSucceeded(let number, let summary):
            return "[\(time)] build #\(number): \(summary)"
        case .buildFailed(let number, let message):
            return "[\(time)] build #\(number): \(message) — still watching"
        case .buildCancelled(let number):
            return "[\(time)] build #\(number): stopped (inputs changed again)"
        }
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}

/// Waits for Ctrl-C or SIGTERM, so the running build can be stopped cleanly.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<Void>

    init() {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        self.stream = stream
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
    }

    func wait() async {
        for await _ in stream { return }
    }
}
