import BuildGraph
import Foundation
import Testing

@Suite struct WatchPollTests {
    /// The poll watcher and the loop on the in-memory file system, both on
    /// one fake clock: a tick every 20 ms, a 20 ms debounce.
    @Test func pollWatcherSeesWritesButNotOutputs() async throws {
        let project = try MemoryWatchProject()
        let log = ReportLog()
        let watcher = PollWatcher(
            scope: WatchScope(root: project.root, excluded: sandboxExcluded), intervalMilliseconds: 20,
            fileSystem: project.fileSystem, clock: project.clock)
        let loop = makeLoop(project, watcher: watcher, clock: project.clock, log: log, debounceMilliseconds: 20)
        try loop.start()
        try project.write("out\n", to: project.root + "/gen/rtl/top.v")
        try project.write("lock\n", to: project.root + "/.lutbuild/lock")
        project.clock.advance(milliseconds: 100)
        #expect(log.all.isEmpty)
        try project.atomicSave("epochs = 7\n", to: project.config)
        project.clock.advance(milliseconds: 19)
        #expect(log.all.isEmpty, "seen at the next tick, built after the debounce")
        project.clock.advance(milliseconds: 21)
        #expect(log.started == [[project.config]], "the watcher is not polling, so 'nothing built' proves nothing")
        await loop.stop()
    }

    @Test func stoppedPollWatcherTicksNoMore() throws {
        let project = try MemoryWatchProject()
        let watcher = PollWatcher(
            scope: WatchScope(root: project.root, excluded: sandboxExcluded), intervalMilliseconds: 20,
            fileSystem: project.fileSystem, clock: project.clock)
        try watcher.start { _ in }
        #expect(project.clock.pendingCount == 1)
        watcher.stop()
        #expect(project.clock.pendingCount == 0)
    }

    @Test func missingRootIsAClearError() {
        let watcher = PollWatcher(scope: WatchScope(root: "/nonexistent/project", excluded: sandboxExcluded))
        #expect(throws: WatchError("cannot watch /nonexistent/project: no such directory")) {
            try watcher.start { _ in }
        }
    }

    @Test func inotifyMissingRootIsAClearError() {
        let watcher = FileWatcher(scope: WatchScope(root: "/nonexistent/project", excluded: sandboxExcluded))
        #expect(throws: WatchError("cannot watch /nonexistent/project: No such file or directory")) {
            try watcher.start { _ in }
        }
    }
}
