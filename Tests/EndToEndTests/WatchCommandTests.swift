import Foundation
import Testing
import TestSupport

/// `lutbuild watch` as users run it: a child process on a tiny project.
@Suite struct WatchCommandTests {
    @Test func rebuildsOnASaveAndStopsOnCtrlC() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let watch = try startWatch(project, ["--simulator", "iverilog", "--debounce-ms", "50"])
        defer { watch.terminateIfRunning() }

        let first = try #require(
            watch.waitForLine(within: 300) { $0.contains("build #1 ok") },
            "no first build line; output so far:\n\(watch.output)")
        #expect(first.contains("ran "), "\(first)")
        #expect(first.contains("(trained "), "the first build trains: \(first)")
        #expect(
            first.range(of: #"test acc \d+\.\d%, LUTs \d+$"#, options: .regularExpression) != nil,
            "the first build shows accuracy and LUTs without a change: \(first)")

        try project.edit("\nepochs = 1", "\nepochs = 2")
        let started = try #require(
            watch.waitForLine(within: 60) { $0.contains("build #2: lutbuild.toml changed") },
            "the save did not start a build; output so far:\n\(watch.output)")
        #expect(started.hasPrefix("["))
        let second = try #require(
            watch.waitForLine(within: 300) { $0.contains("build #2 ok") },
            "no second build line; output so far:\n\(watch.output)")
        #expect(second.contains("(trained "), "more epochs retrain: \(second)")
        #expect(
            second.range(of: #"test acc \d+\.\d% \([+−±]\d+\.\d\), LUTs \d+ \([+−±]\d+\)$"#, options: .regularExpression) != nil,
            "the second build shows the changes: \(second)")

        watch.interrupt()
        let status = try #require(watch.waitForExit(within: 60), "watch did not stop on SIGINT")
        #expect(status == 130)
        #expect(!watch.output.contains("build #3"), "nothing else was built: \(watch.output)")
    }

    @Test func aBadProjectFileIsReportedAndWatchingContinues() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let watch = try startWatch(project, ["--no-verify", "--no-estimate", "--debounce-ms", "50"])
        defer { watch.terminateIfRunning() }
        let first = watch.waitForLine(within: 300) { $0.contains("build #1 ok") }
        #expect(
            first?.hasSuffix("test acc not measured (--no-verify), LUTs not estimated (--no-estimate)") == true,
            "\(watch.output)")

        try project.edit("\nepochs = 1", "\nepochs = \"many\"")
        let failed = try #require(
            watch.waitForLine(within: 120) { $0.contains("build #2: build failed") },
            "no failure line; output so far:\n\(watch.output)")
        #expect(failed.contains("still watching"))
        #expect(watch.errors.contains("epochs"), "the child's error names the key: \(watch.errors)")

        try project.edit("\nepochs = \"many\"", "\nepochs = 1")
        let fixed = try #require(
            watch.waitForLine(within: 120) { $0.contains("build #3 ok") },
            "the fixed file did not build; output so far:\n\(watch.output)")
        #expect(fixed.contains("ran "))
        watch.interrupt()
        #expect(watch.waitForExit(within: 60) == 130)
    }

    @Test func aSaveDuringTrainingStopsItAndBuildsAgain() throws {
        let project = try TinyProject(epochs: 5000)
        defer { project.remove() }
        let watch = try startWatch(project, ["--no-verify", "--no-estimate", "--debounce-ms", "50"])
        defer { watch.terminateIfRunning() }
        #expect(watch.waitForLine(within: 60) { $0.contains("build #1: initial build") } != nil, "\(watch.output)")
        // Saved while the long training runs: once an epoch has written its checkpoint.
        try #require(project.waitForTrainingCheckpoint(within: 300), "training never wrote a checkpoint; output so far:\n\(watch.output)")
        try project.edit("\nepochs = 5000", "\nepochs = 1")
        #expect(
            watch.waitForLine(within: 60) { $0.contains("build #1: stopped (inputs changed again)") } != nil,
            "the running build was not stopped; output so far:\n\(watch.output)")
        #expect(watch.errors.contains("interrupted: finished steps are kept"), "the child stopped cleanly: \(watch.errors)")
        let second = watch.waitForLine(within: 300) { $0.contains("build #2 ok") }
        #expect(second?.contains("(trained ") == true, "the follow-up build ran; output so far:\n\(watch.output)")
        watch.interrupt()
        #expect(watch.waitForExit(within: 60) == 130)
    }
}

/// A running `lutbuild watch` in `project`.
private func startWatch(_ project: TinyProject, _ arguments: [String]) throws -> RunningProcess {
    guard let binary = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
    return try RunningProcess(binary, ["watch"] + arguments, in: project.url)
}
