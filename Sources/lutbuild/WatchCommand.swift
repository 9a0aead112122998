import ArgumentParser
import BuildGraph
import Foundation
import Pipeline
import Synchronization

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

    @OptionGroup var options: ProjectOption

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
        let root = URL(fileURLWithPath: options.project).resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("lutbuild.toml").path) else {
            throw WatchError("no lutbuild.toml in \(root.path); pass --project DIR")
        }
        let scope = WatchScope(root: root.path, excluded: WatchScope.defaultExcluded + exclude)
        let watcher: any ChangeWatcher = poll
            ? PollWatcher(scope: scope, intervalMilliseconds: pollIntervalMilliseconds)
            : FileWatcher(scope: scope)
        let build = ChildBuild(project: root)
        let inputs = WatchInputs(project: root)
        let loop = WatchLoop(
            watcher: watcher,
            options: WatchOptions(debounceMilliseconds: debounceMilliseconds),
            inputs: { inputs.paths() },
            build: { try await build.run($0) },
            report: { say(WatchReportLine.text(for: $0, root: root.path)) }
        )
        let stop = StopSignals()
        say("watching \(root.path) (\(poll ? "polling every \(pollIntervalMilliseconds) ms" : "inotify"), Ctrl-C stops)")
        try loop.start()
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

/// The inputs a rebuild depends on: lutbuild.toml and the dataset files it
/// names. While the project file does not parse, the last good set is kept
/// (the loop asks again after every build). Data outside the project folder
/// is not watched.
final class WatchInputs: Sendable {
    private let root: URL
    private let lastGood: Mutex<Set<String>>

    init(project root: URL) {
        self.root = root
        lastGood = Mutex([root.appendingPathComponent(ProjectConfig.fileName).path])
    }

    func paths() -> Set<String> {
        let projectFile = root.appendingPathComponent(ProjectConfig.fileName)
        // Parsed without the project folder, so a data file that does not exist yet is still watched.
        guard let text = try? String(contentsOf: projectFile, encoding: .utf8),
              let config = try? ProjectConfig.parse(text: text, path: ProjectConfig.fileName) else {
            return lastGood.withLock { $0 }
        }
        let dataset = config.dataset
        let files = [dataset.train, dataset.trainLabels, dataset.test, dataset.testLabels].compactMap { $0 }
        let data = files.map { file in
            (file.hasPrefix("/") ? URL(fileURLWithPath: file) : root.appendingPathComponent(file)).standardizedFileURL.path
        }
        let paths = Set([projectFile.path] + data)
        lastGood.withLock { $0 = paths }
        return paths
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
