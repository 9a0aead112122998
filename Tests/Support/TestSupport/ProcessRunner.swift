import Foundation
import Synchronization

/// What a finished child process left: its exit status and its output.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// The one way tests run a program to completion: stdout and stderr are
/// drained at the same time (a child that fills one pipe while the test
/// reads the other would otherwise hang), then the child is reaped.
public enum ProcessRunner {
    /// Runs `executable` with `arguments` in `directory`; `environment` nil
    /// inherits the test's environment.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> ProcessResult {
        try RunningProcess(executable, arguments, in: directory, environment: environment).finish()
    }

    /// Runs a program found on `PATH` (through `/usr/bin/env`).
    public static func run(
        tool: String, _ arguments: [String], in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, in: directory, environment: environment)
    }
}

/// A child process the test watches while it runs (a `watch`, a build to
/// interrupt): both pipes are drained as the output arrives, so the child
/// never blocks on a full pipe and the test can wait for a line.
public final class RunningProcess: Sendable {
    private let process: Process
    private let stdout: PipeReader, stderr: PipeReader

    /// Starts `executable`; `environment` nil inherits the test's environment.
    public init(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdout = PipeReader(out.fileHandleForReading)
        stderr = PipeReader(err.fileHandleForReading)
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    /// Everything the child wrote to stdout so far.
    public var output: String { stdout.text }
    /// Everything the child wrote to stderr so far.
    public var errors: String { stderr.text }

    /// The first complete stdout line matching `condition`, polling until
    /// `seconds` have passed; nil if there is none or the child ended first.
    public func waitForLine(within seconds: Double, _ condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let running = process.isRunning
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            if let line = lines.first(where: condition) { return line }
            if !running { return nil }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return nil
    }

    /// Sends `signal` (e.g. `SIGINT`, `SIGKILL`) to the child.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Ctrl-C.
    public func interrupt() { send(SIGINT) }

    /// The exit status, or nil if it still runs after `seconds`.
    public func waitForExit(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Waits for the child to close its output and exit; its status and everything it wrote.
    public func finish() -> ProcessResult {
        stdout.waitForEnd()
        stderr.waitForEnd()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: stdout.text, stderr: stderr.text)
    }

    /// Ends a child a failed expectation left running.
    public func terminateIfRunning() {
        if process.isRunning { process.terminate() }
    }
}

/// Reads a pipe to its end on another thread, keeping what arrived so far readable.
private final class PipeReader: Sendable {
    private let collected = Mutex(Data())
    private let ended = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        // A thread of its own: a read that blocks for minutes must not hold a pool thread.
        Thread.detachNewThread { self.drain(handle) }
    }

    private func drain(_ handle: FileHandle) {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            collected.withLock { $0.append(chunk) }
        }
        ended.signal()
    }

    var text: String { collected.withLock { String(decoding: $0, as: UTF8.self) } }

    func waitForEnd() {
        ended.wait()
        ended.signal()
    }
}
