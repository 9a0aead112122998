import BuildGraph
import Diagnostics
import Foundation
import Pipeline
import Subprocess

/// What one `lutbuild build --json` child reported at its end.
public struct ChildBuildOutcome: Sendable, Equatable {
    public var seconds: Double
    /// Steps that ran (as the build's progress counter counts them).
    public var ran: Int
    public var cached: Int
    public var trainedPartitions: Int
    public var written: Int
    /// What the build's reports say, as its summary event carries them.
    public var results: BuildResults

    public init(seconds: Double, ran: Int, cached: Int, trainedPartitions: Int, written: Int, results: BuildResults = BuildResults()) {
        self.seconds = seconds
        self.ran = ran
        self.cached = cached
        self.trainedPartitions = trainedPartitions
        self.written = written
        self.results = results
    }

    /// Reads the summary event (`BuildSummaryEvent`) among a build's JSON event lines.
    static func parse(jsonLines: Data, seconds: Double) -> ChildBuildOutcome? {
        BuildSummaryEvent.last(inJSONLines: jsonLines).map { event in
            ChildBuildOutcome(
                seconds: seconds, ran: event.ranSteps ?? event.ran, cached: event.cached,
                trainedPartitions: event.trainedPartitions, written: event.written, results: event.results)
        }
    }
}

/// Runs `lutbuild build --json` in the project folder as a child process:
/// the same entry point as the build command, isolated so a crash cannot end
/// the watch. It runs under `ExternalTool`'s supervisor in its own process
/// group (and dies with the watch), so Ctrl-C at the terminal reaches only the
/// watch, which then interrupts the child once (SIGINT: it stops at a safe
/// point and training keeps its checkpoint). The child's errors go straight
/// to our stderr; its event lines go to a file, read for the summary.
public struct ChildBuild: Sendable {
    public let executable: URL
    public let project: URL
    /// Extra `lutbuild build` arguments, e.g. `--no-verify`.
    public let arguments: [String]

    public init(executable: URL, project: URL, arguments: [String] = []) {
        self.executable = executable
        self.project = project
        self.arguments = arguments
    }

    /// Builds once. Throws `CancellationError` when the watch cancelled the
    /// build, a `WatchError` when the build failed.
    public func run(_ request: WatchBuildRequest) async throws -> ChildBuildOutcome {
        let eventsFile = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-watch-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: eventsFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: eventsFile) }
        let events = try FileHandle(forWritingTo: eventsFile)
        defer { try? events.close() }
        let started = Date()
        let process = try SupervisedProcess(
            executable.path, ["build", "--json"] + arguments, in: project,
            output: events.fileDescriptor, errors: STDERR_FILENO)
        var interrupted = false
        var status: Int32
        while true {
            if let ended = process.exitStatus() {
                status = ended
                break
            }
            if !interrupted, Task.isCancelled || request.cancellation.isCancelled {
                process.send(SIGINT)
                interrupted = true
            }
            await Self.pause(seconds: 0.02)
        }
        let seconds = Date().timeIntervalSince(started)
        if interrupted || request.cancellation.isCancelled || Task.isCancelled { throw CancellationError() }
        let elapsed = String(format: "%.1f s", seconds)
        // lutbuild itself exits with 0, 1, 2, 64 or 130; above 128 the supervisor reports a signal.
        if status > 128, status != UserError.interruptedExitCode {
            let killedBy = status - 128
            // It printed nothing about why: say what happened instead of pointing at an error above.
            let name = strsignal(killedBy).map { String(cString: $0) } ?? "signal \(killedBy)"
            throw WatchError(
                "the build was killed by signal \(killedBy) (\(name)) after \(elapsed), not by an error in the project; save again to retry"
            )
        }
        let lines = (try? Data(contentsOf: eventsFile)) ?? Data()
        guard status == 0, let outcome = ChildBuildOutcome.parse(jsonLines: lines, seconds: seconds) else {
            throw WatchError("build failed (exit \(status)) after \(elapsed); fix the error above and save again")
        }
        return outcome
    }

    /// Waits without blocking a thread, also once the task is cancelled (unlike `Task.sleep`).
    private static func pause(seconds: Double) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
        }
    }
}
