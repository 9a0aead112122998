import BuildGraph
import Foundation
import Synchronization
import Testing

/// The loop with the real inotify watcher on a temporary project.
@Suite struct WatchLoopTests {
    let sandbox: WatchSandbox
    let log = ReportLog()
    let loop: WatchLoop

    init() async throws {
        sandbox = try WatchSandbox()
        // The default debounce, as users get it.
        loop = makeLoop(sandbox, watcher: FileWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded)), log: log,
                        debounceMilliseconds: WatchOptions().debounceMilliseconds)
        try loop.start()
    }

    /// Waits long enough for a spurious build to have started and finished.
    func settle() async { try? await Task.sleep(for: .milliseconds(300)) }

    /// Positive control for the "builds nothing" tests: a real change still
    /// builds, so their silence means the loop ignored the writes, not that
    /// it was dead.
    func expectAliveAfterSilence() async throws {
        try sandbox.write("epochs = 3\n", to: sandbox.config)
        #expect(await log.wait { $0.finished.count == 1 }, "the watcher is not running, so 'nothing built' proves nothing")
        #expect(log.started == [[sandbox.config]])
    }

    @Test func normalWriteBuildsOnce() async throws {
        try sandbox.write("epochs = 2\n", to: sandbox.config)
        #expect(await log.wait { $0.finished.count == 1 })
        await settle()
        #expect(log.all == [.buildStarted(number: 1, changedPaths: [sandbox.config]),
                            .buildSucceeded(number: 1, summary: "built #1")])
        await loop.stop()
    }

    @Test func atomicRenameSaveIsSeen() async throws {
        try sandbox.atomicSave("x,label\n2,1\n", to: sandbox.data)
        #expect(await log.wait { $0.finished.count == 1 })
        await settle()
        #expect(log.started == [[sandbox.data]])
        await loop.stop()
    }

    @Test func touchOrSameContentBuildsNothing() async throws {
        try sandbox.touch(sandbox.config)
        try sandbox.write("epochs = 1\n", to: sandbox.config)
        try sandbox.atomicSave("x,label\n1,0\n", to: sandbox.data)
        await settle()
        #expect(log.all.isEmpty)
        try await expectAliveAfterSilence()
        await loop.stop()
    }

    @Test func burstOfFiftySavesBuildsAtMostTwice() async throws {
        for index in 1...50 {
            try sandbox.write("epochs = \(index)\n", to: sandbox.config)
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(await log.wait { $0.finished.count >= 1 })
        await settle()
        #expect((1...2).contains(log.started.count))
        #expect(log.finished.allSatisfy { if case .buildSucceeded = $0 { true } else { false } })
        await loop.stop()
    }

    @Test func writesIntoOutputsAndOtherFilesBuildNothing() async throws {
        try sandbox.write("module top; endmodule\n", to: sandbox.root + "/gen/rtl/top.v")
        try sandbox.write("new\n", to: sandbox.root + "/gen/reports/new-dir/util.rpt")
        try sandbox.write("cache\n", to: sandbox.root + "/.lutbuild/lock")
        try sandbox.write("notes\n", to: sandbox.root + "/NOTES.md")
        await settle()
        #expect(log.all.isEmpty)
        try await expectAliveAfterSilence()
        await loop.stop()
    }

    @Test func savingTheSameContentAfterAFailedBuildRetries() async throws {
        try sandbox.atomicSave("bad\n", to: sandbox.config)
        #expect(await log.wait { $0.finished.count == 1 })
        try sandbox.atomicSave("bad\n", to: sandbox.config)
        #expect(await log.wait { $0.finished.count == 2 })
        #expect(log.started == [[sandbox.config], [sandbox.config]])
        await loop.stop()
    }

    @Test func badConfigIsReportedThenFixedConfigBuilds() async throws {
        try sandbox.atomicSave("bad\n", to: sandbox.config)
        #expect(await log.wait { $0.finished.count == 1 })
        try sandbox.atomicSave("epochs = 3\n", to: sandbox.config)
        #expect(await log.wait { $0.finished.count == 2 })
        #expect(log.finished == [
            .buildFailed(number: 1, message: "lutbuild.toml: line 1: expected key = value"),
            .buildSucceeded(number: 2, summary: "built #2"),
        ])
        await loop.stop()
    }

    @Test func inputInANewSubdirectoryIsSeen() async throws {
        let nested = sandbox.root + "/extra/deeper/more.csv"
        let inputs: Set<String> = [sandbox.config, nested]
        let log = ReportLog()
        let loop = WatchLoop(
            watcher: FileWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded)),
            options: WatchOptions(debounceMilliseconds: 50, buildOnStart: false),
            inputs: { inputs }, build: fakeBuild, report: { log.append($0) })
        try loop.start()
        try sandbox.write("a\n", to: nested)
        #expect(await log.wait { $0.finished.count == 1 })
        #expect(log.started == [[nested]])
        await loop.stop()
        await self.loop.stop()
    }

    @Test func renamedDirectoryIsWatchedUnderItsNewName() async throws {
        let moved = sandbox.root + "/moved/x.csv"
        try sandbox.write("a\n", to: sandbox.root + "/staging/x.csv")
        let log = ReportLog()
        let loop = WatchLoop(
            watcher: FileWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded)),
            options: WatchOptions(debounceMilliseconds: 50, buildOnStart: false),
            inputs: { [moved] }, build: fakeBuild, report: { log.append($0) })
        try loop.start()
        try FileManager.default.moveItem(atPath: sandbox.root + "/staging", toPath: sandbox.root + "/moved")
        #expect(await log.wait { $0.finished.count == 1 })
        try sandbox.write("b\n", to: moved)
        #expect(await log.wait { $0.finished.count == 2 })
        #expect(log.started == [[moved], [moved]])
        await loop.stop()
        await self.loop.stop()
    }
}
