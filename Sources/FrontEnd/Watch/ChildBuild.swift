import BuildGraph
import Foundation

/// What one `lutbuild build --json` child reported at its end.
public struct ChildBuildOutcome: Sendable, Equatable {
    public var seconds: Double
    /// Steps that ran (as the build's progress counter counts them).
    public var ran: Int
    public var cached: Int
    public var trainedPartitions: Int
    public var written: Int

    public init(seconds: Double, ran: Int, cached: Int, trainedPartitions: Int, written: Int) {
        self.seconds = seconds
        self.ran = ran
        self.cached = cached
        self.trainedPartitions = trainedPartitions
        self.written = written
    }

    /// Reads the summary event (`BuildSummaryEvent`) among a build's JSON event lines.
    static func parse(jsonLines: Data, seconds: Double) -> ChildBuildOutcome? {
        BuildSummaryEvent.last(inJSONLines: jsonLines).map { event in
            ChildBuildOutcome(seconds: seconds, ran: event.ranSteps ?? event.ran, cached: event.cached,
                              trainedPartitions: event.trainedPartitions, written: event.written)
        }
    }
}

/// Runs `lutbuild build --json` in the project folder as a child process:
/// the same entry point as the build command, isolated so a crash cannot end
/// the watch. Foundation starts it in its own process group, so Ctrl-C at the
/// terminal reaches only the watch, which then interrupts the child once
/// (SIGINT: it stops at a safe point and training keeps its checkpoint).
/// The child's errors go straight to our stderr; its event lines are read
/// for the summary.
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
        let process = Process()
        process.executableURL = executable
        process.arguments = ["build", "--json"] + arguments
        process.currentDirectoryURL = project
        let output = Pipe()
        process.standardOutput = output
        let started = Date()
        let (status, killedBy, events): (Int32, Int32?, Data) = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                do { try process.run() } catch {
                    continuation.resume(throwing: error)
                    return
                }
                // Off the cooperative pool: read until the child closes its stdout, then reap it.
                DispatchQueue.global().async {
                    let events = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    let signal = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
                    continuation.resume(returning: (process.terminationStatus, signal, events))
                }
            }
        } onCancel: {
            if process.isRunning { process.interrupt() }
        }
        let seconds = Date().timeIntervalSince(started)
        if request.cancellation.isCancelled || Task.isCancelled { throw CancellationError() }
        let elapsed = String(format: "%.1f s", seconds)
        if let killedBy {
            // It printed nothing about why: say what happened instead of pointing at an error above.
            let name = strsignal(killedBy).map { String(cString: $0) } ?? "signal \(killedBy)"
            throw WatchError("the build was killed by signal \(killedBy) (\(name)) after \(elapsed), not by an error in the project; save again to retry")
        }
        guard status == 0, let outcome = ChildBuildOutcome.parse(jsonLines: events, seconds: seconds) else {
            throw WatchError("build failed (exit \(status)) after \(elapsed); fix the error above and save again")
        }
        return outcome
    }
}
