import BuildGraph
import Foundation
import Synchronization
import Testing

/// Loop behaviour fed by a scripted watcher: cancellation, follow-ups, rescans.
@Suite struct WatchCancellationTests {
    @Test func changeDuringBuildCancelsItThenBuildsAgain() async throws {
        let sandbox = try WatchSandbox()
        let watcher = ScriptedWatcher()
        let log = ReportLog()
        // The first build waits for its cancellation flag, like training polling shouldStop.
        let loop = makeLoop(sandbox, watcher: watcher, log: log, debounceMilliseconds: 10) { request in
            if request.number == 1 {
                while !request.cancellation.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                throw WatchError("stopped at checkpoint")
            }
            return "built #\(request.number)"
        }
        try loop.start()
        try sandbox.write("epochs = 2\n", to: sandbox.config)
        watcher.emit(.changed([sandbox.config]))
        #expect(await log.wait { $0.started.count == 1 })
        try sandbox.write("x\n3\n", to: sandbox.data)
        watcher.emit(.changed([sandbox.data]))
        #expect(await log.wait { $0.finished.count == 2 })
        #expect(log.all == [
            .buildStarted(number: 1, changedPaths: [sandbox.config]),
            .buildCancelled(number: 1),
            .buildStarted(number: 2, changedPaths: [sandbox.data]),
            .buildSucceeded(number: 2, summary: "built #2"),
        ])
        await loop.stop()
    }

    @Test func changesDuringBuildCoalesceIntoOneFollowUp() async throws {
        let sandbox = try WatchSandbox()
        let watcher = ScriptedWatcher()
        let log = ReportLog()
        // The first build runs until the test releases it (a step that cannot stop midway).
        let release = Mutex(false)
        let loop = makeLoop(sandbox, watcher: watcher, log: log, debounceMilliseconds: 10) { request in
            if request.number == 1 {
                while !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
                return "first, asked to stop: \(request.cancellation.isCancelled)"
            }
            return "built #\(request.number)"
        }
        try loop.start()
        try sandbox.write("epochs = 2\n", to: sandbox.config)
        watcher.emit(.changed([sandbox.config]))
        #expect(await log.wait { $0.started.count == 1 })
        for index in 3...5 {
            try sandbox.write("epochs = \(index)\n", to: sandbox.config)
            try sandbox.write("x\n\(index)\n", to: sandbox.data)
            watcher.emit(.changed([sandbox.config, sandbox.data]))
            try await Task.sleep(for: .milliseconds(30))
        }
        try await Task.sleep(for: .milliseconds(150))
        release.withLock { $0 = true }
        #expect(await log.wait { $0.finished.count == 2 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(log.all == [
            .buildStarted(number: 1, changedPaths: [sandbox.config]),
            .buildSucceeded(number: 1, summary: "first, asked to stop: true"),
            .buildStarted(number: 2, changedPaths: [sandbox.data, sandbox.config]),
            .buildSucceeded(number: 2, summary: "built #2"),
        ])
        await loop.stop()
    }

    @Test func rescanComparesEveryInput() async throws {
        let sandbox = try WatchSandbox()
        let watcher = ScriptedWatcher()
        let log = ReportLog()
        let loop = makeLoop(sandbox, watcher: watcher, log: log, debounceMilliseconds: 10)
        try loop.start()
        try sandbox.write("x\n9\n", to: sandbox.data)
        watcher.emit(.rescan)
        #expect(await log.wait { $0.finished.count == 1 })
        #expect(log.started == [[sandbox.data]])
        await loop.stop()
    }

    @Test func deletedDirectoryCountsForTheInputsInside() async throws {
        let sandbox = try WatchSandbox()
        let watcher = ScriptedWatcher()
        let log = ReportLog()
        let loop = makeLoop(sandbox, watcher: watcher, log: log, debounceMilliseconds: 10)
        try loop.start()
        try FileManager.default.removeItem(atPath: sandbox.root + "/data")
        watcher.emit(.changed([sandbox.root + "/data"]))
        #expect(await log.wait { $0.finished.count == 1 })
        #expect(log.started == [[sandbox.data]])
        await loop.stop()
    }

    @Test func inputSetIsReloadedAfterEachBuild() async throws {
        let sandbox = try WatchSandbox()
        let watcher = ScriptedWatcher()
        let log = ReportLog()
        let extra = sandbox.root + "/data/extra.csv"
        try sandbox.write("a\n", to: extra)
        // The "project file" names the dataset: after a build, extra.csv becomes an input.
        let declared = Mutex<Set<String>>([sandbox.config])
        let loop = WatchLoop(
            watcher: watcher, options: WatchOptions(debounceMilliseconds: 10, buildOnStart: true),
            inputs: { declared.withLock { $0 } },
            build: { request in
                declared.withLock { _ = $0.insert(extra) }
                return "built #\(request.number)"
            },
            report: { log.append($0) })
        try loop.start()
        #expect(await log.wait { $0.finished.count == 1 })
        try await Task.sleep(for: .milliseconds(50))
        try sandbox.write("b\n", to: extra)
        watcher.emit(.changed([extra]))
        #expect(await log.wait { $0.finished.count == 2 })
        #expect(log.started == [[], [extra]])
        await loop.stop()
    }
}
