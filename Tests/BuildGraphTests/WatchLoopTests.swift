import BuildGraph
import Foundation
import Testing

/// The loop with the real inotify watcher on a temporary project, on a fake
/// clock: the debounce ends only when the test moves time, so a slow machine
/// cannot split a burst of saves or let a build start early.
@Suite struct WatchLoopTests {
    let sandbox: WatchSandbox
    let clock = FakeClock()
    let log = ReportLog()
    let loop: WatchLoop
    /// The default debounce, as users get it.
    let debounce = WatchOptions().debounceMilliseconds

    init() async throws {
        sandbox = try WatchSandbox()
        loop = makeLoop(
            sandbox, watcher: FileWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded)),
            clock: clock, log: log, debounceMilliseconds: debounce)
        try loop.start()
    }

    /// Moves the clock a debounce at a time until `condition` holds: each step
    /// settles the events inotify delivered so far.
    func settle(until condition: (ReportLog) -> Bool) async -> Bool {
        await log.wait(step: { clock.advance(milliseconds: debounce) }, until: condition)
    }

    /// Positive control for the "builds nothing" tests, and the check that
    /// nothing else was built: writes the probe input, then expects exactly
    /// one more build, for the probe alone. inotify reports events in order,
    /// so every write before the probe's has been settled by then (alone, or
    /// together with the probe's); a dead watcher never builds the probe.
    func expectOnlyTheProbeBuildsNext(after earlier: [[String]] = []) async throws {
        try sandbox.write("p\n", to: sandbox.probe)
        #expect(
            await settle { $0.finished.count == earlier.count + 1 },
            "the probe did not build: the watcher is not running, so 'nothing built' proves nothing")
        #expect(log.started == earlier + [[sandbox.probe]])
    }

    @Test func normalWriteBuildsOnce() async throws {
        try sandbox.write("epochs = 2\n", to: sandbox.config)
        #expect(await settle { $0.finished.count == 1 })
        #expect(
            log.all == [
                .buildStarted(number: 1, changedPaths: [sandbox.config]),
                .buildSucceeded(number: 1, summary: "built #1"),
            ])
        try await expectOnlyTheProbeBuildsNext(after: [[sandbox.config]])
        await loop.stop()
    }

    @Test func atomicRenameSaveIsSeen() async throws {
        try sandbox.atomicSave("x,label\n2,1\n", to: sandbox.data)
        #expect(await settle { $0.finished.count == 1 })
        try await expectOnlyTheProbeBuildsNext(after: [[sandbox.data]])
        await loop.stop()
    }

    @Test func touchOrSameContentBuildsNothing() async throws {
        try sandbox.touch(sandbox.config)
        try sandbox.write("epochs = 1\n", to: sandbox.config)
        try sandbox.atomicSave("x,label\n1,0\n", to: sandbox.data)
        try await expectOnlyTheProbeBuildsNext()
        await loop.stop()
    }

    /// Fifty saves a millisecond apart, well inside one debounce: one build,
    /// of the last content, however late inotify delivers their events.
    @Test func burstOfFiftySavesBuildsOnce() async throws {
        for index in 1...50 {
            try sandbox.write("epochs = \(index)\n", to: sandbox.config)
            clock.advance(milliseconds: 1)
        }
        #expect(await settle { $0.finished.count >= 1 })
        #expect(log.finished.allSatisfy { if case .buildSucceeded = $0 { true } else { false } })
        try await expectOnlyTheProbeBuildsNext(after: [[sandbox.config]])
        await loop.stop()
    }

    @Test func writesIntoOutputsAndOtherFilesBuildNothing() async throws {
        try sandbox.write("module top; endmodule\n", to: sandbox.root + "/gen/rtl/top.v")
        try sandbox.write("new\n", to: sandbox.root + "/gen/reports/new-dir/util.rpt")
        try sandbox.write("cache\n", to: sandbox.root + "/.lutbuild/lock")
        try sandbox.write("notes\n", to: sandbox.root + "/NOTES.md")
        try await expectOnlyTheProbeBuildsNext()
        await loop.stop()
    }

    @Test func savingTheSameContentAfterAFailedBuildRetries() async throws {
        try sandbox.atomicSave("bad\n", to: sandbox.config)
        #expect(await settle { $0.finished.count == 1 })
        try sandbox.atomicSave("bad\n", to: sandbox.config)
        #expect(await settle { $0.finished.count == 2 })
        #expect(log.started == [[sandbox.config], [sandbox.config]])
        await loop.stop()
    }

    @Test func badConfigIsReportedThenFixedConfigBuilds() async throws {
        try sandbox.atomicSave("bad\n", to: sandbox.config)
        #expect(await settle { $0.finished.count == 1 })
        try sandbox.atomicSave("epochs = 3\n", to: sandbox.config)
        #expect(await settle { $0.finished.count == 2 })
        #expect(
            log.finished == [
                .buildFailed(number: 1, message: "lutbuild.toml: line 1: expected key = value"),
                .buildSucceeded(number: 2, summary: "built #2"),
            ])
        await loop.stop()
    }

    /// A loop of its own whose only inputs are `inputs`.
    func loop(inputs: Set<String>, log: ReportLog) -> WatchLoop {
        WatchLoop(
            watcher: FileWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded)),
            options: WatchOptions(debounceMilliseconds: debounce, buildOnStart: false),
            clock: clock,
            inputs: { inputs }, build: fakeBuild(reading: sandbox.fileSystem), report: { log.append($0) })
    }

    @Test func inputInANewSubdirectoryIsSeen() async throws {
        let nested = sandbox.root + "/extra/deeper/more.csv"
        let log = ReportLog()
        let loop = loop(inputs: [sandbox.config, nested], log: log)
        try loop.start()
        try sandbox.write("a\n", to: nested)
        #expect(await log.wait(step: { clock.advance(milliseconds: debounce) }) { $0.finished.count == 1 })
        #expect(log.started == [[nested]])
        await loop.stop()
        await self.loop.stop()
    }

    @Test func renamedDirectoryIsWatchedUnderItsNewName() async throws {
        let moved = sandbox.root + "/moved/x.csv"
        try sandbox.write("a\n", to: sandbox.root + "/staging/x.csv")
        let log = ReportLog()
        let loop = loop(inputs: [moved], log: log)
        try loop.start()
        try FileManager.default.moveItem(atPath: sandbox.root + "/staging", toPath: sandbox.root + "/moved")
        #expect(await log.wait(step: { clock.advance(milliseconds: debounce) }) { $0.finished.count == 1 })
        try sandbox.write("b\n", to: moved)
        #expect(await log.wait(step: { clock.advance(milliseconds: debounce) }) { $0.finished.count == 2 })
        #expect(log.started == [[moved], [moved]])
        await loop.stop()
        await self.loop.stop()
    }
}
