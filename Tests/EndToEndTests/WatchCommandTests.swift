import Foundation
import Synchronization
import Testing

/// `lutbuild watch` as users run it: a child process on a tiny project.
@Suite struct WatchCommandTests {
    @Test func rebuildsOnASaveAndStopsOnCtrlC() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let watch = try WatchProcess(project: project.url,
                                     arguments: ["watch", "--simulator", "iverilog", "--debounce-ms", "50"])
        defer { watch.kill() }

        let first = try #require(watch.waitForLine(within: 300) { $0.contains("build #1 ok") },
                                 "no first build line; output so far:\n\(watch.output)")
        #expect(first.contains("ran "), "\(first)")
        #expect(first.contains("(trained "), "the first build trains: \(first)")
        #expect(first.range(of: #"test acc \d+\.\d%, LUTs \d+$"#, options: .regularExpression) != nil,
                "the first build shows accuracy and LUTs without a change: \(first)")

        try project.edit { $0.replacingOccurrences(of: "\nepochs = 1", with: "\nepochs = 2") }
        let started = try #require(watch.waitForLine(within: 60) { $0.contains("build #2: lutbuild.toml changed") },
                                   "the save did not start a build; output so far:\n\(watch.output)")
        #expect(started.hasPrefix("["))
        let second = try #require(watch.waitForLine(within: 300) { $0.contains("build #2 ok") },
                                  "no second build line; output so far:\n\(watch.output)")
        #expect(second.contains("(trained "), "more epochs retrain: \(second)")
        #expect(second.range(of: #"test acc \d+\.\d% \([+−±]\d+\.\d\), LUTs \d+ \([+−±]\d+\)$"#, options: .regularExpression) != nil,
                "the second build shows the changes: \(second)")

        watch.interrupt()
        let status = try #require(watch.waitForExit(within: 60), "watch did not stop on SIGINT")
        #expect(status == 130)
        #expect(!watch.output.contains("build #3"), "nothing else was built: \(watch.output)")
    }

    @Test func aBadProjectFileIsReportedAndWatchingContinues() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let watch = try WatchProcess(project: project.url,
                                     arguments: ["watch", "--no-verify", "--no-estimate", "--debounce-ms", "50"])
        defer { watch.kill() }
        let first = watch.waitForLine(within: 300) { $0.contains("build #1 ok") }
        #expect(first?.hasSuffix("test acc not measured (--no-verify), LUTs not estimated (--no-estimate)") == true,
                "\(watch.output)")

        try project.edit { $0.replacingOccurrences(of: "\nepochs = 1", with: "\nepochs = \"many\"") }
        let failed = try #require(watch.waitForLine(within: 120) { $0.contains("build #2: build failed") },
                                  "no failure line; output so far:\n\(watch.output)")
        #expect(failed.contains("still watching"))
        #expect(watch.errors.contains("epochs"), "the child's error names the key: \(watch.errors)")

        try project.edit { $0.replacingOccurrences(of: "\nepochs = \"many\"", with: "\nepochs = 1") }
        let fixed = try #require(watch.waitForLine(within: 120) { $0.contains("build #3 ok") },
                                 "the fixed file did not build; output so far:\n\(watch.output)")
        #expect(fixed.contains("ran "))
        watch.interrupt()
        #expect(watch.waitForExit(within: 60) == 130)
    }

    @Test func aSaveDuringTrainingStopsItAndBuildsAgain() throws {
        let project = try TinyProject(epochs: 5000)
        defer { project.remove() }
        let watch = try WatchProcess(project: project.url,
                                     arguments: ["watch", "--no-verify", "--no-estimate", "--debounce-ms", "50"])
        defer { watch.kill() }
        #expect(watch.waitForLine(within: 60) { $0.contains("build #1: initial build") } != nil, "\(watch.output)")
        // Saved while the long training runs.
        Thread.sleep(forTimeInterval: 2)
        try project.edit { $0.replacingOccurrences(of: "\nepochs = 5000", with: "\nepochs = 1") }
        #expect(watch.waitForLine(within: 60) { $0.contains("build #1: stopped (inputs changed again)") } != nil,
                "the running build was not stopped; output so far:\n\(watch.output)")
        #expect(watch.errors.contains("interrupted: finished steps are kept"), "the child stopped cleanly: \(watch.errors)")
        let second = watch.waitForLine(within: 300) { $0.contains("build #2 ok") }
        #expect(second?.contains("(trained ") == true, "the follow-up build ran; output so far:\n\(watch.output)")
        watch.interrupt()
        #expect(watch.waitForExit(within: 60) == 130)
    }
}

/// A running `lutbuild watch` whose output lines are collected as they come.
private final class WatchProcess: Sendable {
    private let process: Process
    private let stdout = TextSink(), stderr = TextSink()

    init(project: URL, arguments: [String]) throws {
        guard let binary = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = project
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        for (pipe, sink) in [(out, stdout), (err, stderr)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil }
                sink.append(data)
            }
        }
        try process.run()
    }

    var output: String { stdout.text }
    var errors: String { stderr.text }

    /// The first complete stdout line matching `condition`, polling until `seconds` have passed.
    func waitForLine(within seconds: Double, _ condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            if let line = lines.first(where: condition) { return line }
            if !process.isRunning { return nil }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return nil
    }

    func interrupt() { process.interrupt() }

    /// The exit status, or nil if it still runs after `seconds`.
    func waitForExit(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Ends a watch a failed expectation left running.
    func kill() {
        if process.isRunning { process.terminate() }
    }
}

/// Text collected from a pipe while the process runs.
private final class TextSink: Sendable {
    private let collected = Mutex("")

    func append(_ data: Data) { collected.withLock { $0 += String(decoding: data, as: UTF8.self) } }

    var text: String { collected.withLock { $0 } }
}
