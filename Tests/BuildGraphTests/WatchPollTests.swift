import BuildGraph
import Foundation
import Testing

@Suite struct WatchPollTests {
    @Test func pollWatcherSeesWritesButNotOutputs() async throws {
        let sandbox = try WatchSandbox()
        let log = ReportLog()
        let watcher = PollWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded), intervalMilliseconds: 20)
        let loop = makeLoop(sandbox, watcher: watcher, log: log, debounceMilliseconds: 20)
        try loop.start()
        try sandbox.write("out\n", to: sandbox.root + "/gen/rtl/top.v")
        try await Task.sleep(for: .milliseconds(150))
        #expect(log.all.isEmpty)
        try sandbox.atomicSave("epochs = 7\n", to: sandbox.config)
        #expect(await log.wait { $0.finished.count == 1 })
        #expect(log.started == [[sandbox.config]])
        await loop.stop()
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
