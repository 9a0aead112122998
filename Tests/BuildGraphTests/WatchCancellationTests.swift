import BuildGraph
import Foundation
import Synchronization
import Testing

/// Loop behaviour fed by a scripted watcher on the in-memory file system and
/// a fake clock: debounce, cancellation, follow-ups, rescans. Time moves only
/// when a test says so, and an emitted event is taken in before `emit`
/// returns, so each step's outcome is known the moment it returns.
@Suite struct WatchCancellationTests {
    let project: MemoryWatchProject
    let watcher = ScriptedWatcher()
    let log = ReportLog()
    var clock: FakeClock { project.clock }

    init() throws { project = try MemoryWatchProject() }

    func loop(build: WatchLoop.Build? = nil) throws -> WatchLoop {
        let loop = makeLoop(project, watcher: watcher, clock: clock, log: log, debounceMilliseconds: 10, build: build)
        try loop.start()
        return loop
    }

    @Test func eventsWithinTheDebounceBuildOnceAfterTheQuietTime() async throws {
        let loop = try loop()
        for index in 2...6 {
            try project.write("epochs = \(index)\n", to: project.config)
            watcher.emit(.changed([project.config]))
            clock.advance(milliseconds: 9)
        }
        #expect(log.all.isEmpty, "each event restarts the quiet time")
        clock.advance(milliseconds: 1)
        #expect(log.started == [[project.config]])
        #expect(await log.wait { $0.finished == [.buildSucceeded(number: 1, summary: "built #1")] })
        await loop.stop()
    }

    @Test func eventsThatChangeNoContentBuildNothing() async throws {
        let loop = try loop()
        try project.write("epochs = 1\n", to: project.config)
        try project.atomicSave("x,label\n1,0\n", to: project.data)
        try project.write("notes\n", to: project.root + "/NOTES.md")
        watcher.emit(.changed([project.config, project.data, project.root + "/NOTES.md"]))
        clock.advance(milliseconds: 10)
        #expect(log.all.isEmpty)
        // Positive control: the same loop builds a real change.
        try project.write("p\n", to: project.probe)
        watcher.emit(.changed([project.probe]))
        clock.advance(milliseconds: 10)
        #expect(log.started == [[project.probe]], "the loop is dead, so 'nothing built' proves nothing")
        await loop.stop()
    }

    @Test func changeDuringBuildCancelsItThenBuildsAgain() async throws {
        // The first build waits for its cancellation flag, like training polling shouldStop.
        let loop = try loop { request in
            if request.number == 1 {
                while !request.cancellation.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                throw WatchError("stopped at checkpoint")
            }
            return "built #\(request.number)"
        }
        try project.write("epochs = 2\n", to: project.config)
        watcher.emit(.changed([project.config]))
        clock.advance(milliseconds: 10)
        #expect(log.started.count == 1)
        try project.write("x\n3\n", to: project.data)
        watcher.emit(.changed([project.data]))
        clock.advance(milliseconds: 10)
        #expect(await log.wait { $0.finished.count == 2 })
        #expect(
            log.all == [
                .buildStarted(number: 1, changedPaths: [project.config]),
                .buildCancelled(number: 1),
                .buildStarted(number: 2, changedPaths: [project.data]),
                .buildSucceeded(number: 2, summary: "built #2"),
            ])
        await loop.stop()
    }

    @Test func changesDuringBuildCoalesceIntoOneFollowUp() async throws {
        // The first build runs until the test releases it (a step that cannot stop midway).
        let release = Mutex(false)
        let loop = try loop { request in
            if request.number == 1 {
                while !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
                return "first, asked to stop: \(request.cancellation.isCancelled)"
            }
            return "built #\(request.number)"
        }
        try project.write("epochs = 2\n", to: project.config)
        watcher.emit(.changed([project.config]))
        clock.advance(milliseconds: 10)
        #expect(log.started.count == 1)
        for index in 3...5 {
            try project.write("epochs = \(index)\n", to: project.config)
            try project.write("x\n\(index)\n", to: project.data)
            watcher.emit(.changed([project.config, project.data]))
            clock.advance(milliseconds: 30)
        }
        #expect(log.started.count == 1, "no second build while the first runs")
        release.withLock { $0 = true }
        #expect(await log.wait { $0.finished.count == 2 })
        await loop.stop()
        #expect(
            log.all == [
                .buildStarted(number: 1, changedPaths: [project.config]),
                .buildSucceeded(number: 1, summary: "first, asked to stop: true"),
                .buildStarted(number: 2, changedPaths: [project.data, project.config]),
                .buildSucceeded(number: 2, summary: "built #2"),
            ])
    }

    @Test func rescanComparesEveryInput() async throws {
        let loop = try loop()
        try project.write("x\n9\n", to: project.data)
        watcher.emit(.rescan)
        clock.advance(milliseconds: 10)
        #expect(log.started == [[project.data]])
        await loop.stop()
    }

    @Test func deletedDirectoryCountsForTheInputsInside() async throws {
        let loop = try loop()
        try project.fileSystem.remove(project.root + "/data")
        watcher.emit(.changed([project.root + "/data"]))
        clock.advance(milliseconds: 10)
        #expect(log.started == [[project.data]])
        await loop.stop()
    }

    @Test func inputSetIsReloadedAfterEachBuild() async throws {
        let extra = project.root + "/data/extra.csv"
        try project.write("a\n", to: extra)
        // The "project file" names the dataset: after a build, extra.csv becomes an input.
        let declared = Mutex<Set<String>>([project.config])
        let log = self.log
        let loop = WatchLoop(
            watcher: watcher, options: WatchOptions(debounceMilliseconds: 10, buildOnStart: true),
            fileSystem: project.fileSystem, clock: clock,
            inputs: { declared.withLock { $0 } },
            build: { request in
                declared.withLock { _ = $0.insert(extra) }
                return "built #\(request.number)"
            },
            report: { log.append($0) })
        try loop.start()
        #expect(await log.wait { $0.finished.count == 1 })
        try project.write("b\n", to: extra)
        watcher.emit(.changed([extra]))
        clock.advance(milliseconds: 10)
        #expect(log.started == [[], [extra]])
        await loop.stop()
    }
}
