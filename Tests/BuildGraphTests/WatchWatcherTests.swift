import BuildGraph
import Foundation
import Synchronization
import Testing

/// The watchers alone: which paths they report, and that pruned folders report nothing.
@Suite struct WatchWatcherTests {
    enum Kind: String, CaseIterable { case inotify, poll }

    final class Seen: Sendable {
        private let paths = Mutex<Set<String>>([])
        var all: Set<String> { paths.withLock { $0 } }
        func record(_ event: WatchEvent) {
            if case .changed(let changed) = event { paths.withLock { $0.formUnion(changed) } }
        }
        func wait(for path: String) async -> Bool {
            // Bounds a failing test only; a passing one returns as soon as the path is seen.
            for _ in 0..<6000 where !all.contains(path) { try? await Task.sleep(for: .milliseconds(10)) }
            return all.contains(path)
        }
    }

    func makeWatcher(_ kind: Kind, _ sandbox: WatchSandbox) -> any ChangeWatcher {
        let scope = WatchScope(root: sandbox.root, excluded: sandboxExcluded)
        switch kind {
        case .inotify: return FileWatcher(scope: scope)
        case .poll: return PollWatcher(scope: scope, intervalMilliseconds: 20)
        }
    }

    @Test(arguments: Kind.allCases)
    func prunedFoldersReportNothing(kind: Kind) async throws {
        let sandbox = try WatchSandbox()
        try FileManager.default.createDirectory(atPath: sandbox.root + "/.git", withIntermediateDirectories: true)
        let seen = Seen()
        let watcher = makeWatcher(kind, sandbox)
        try watcher.start { seen.record($0) }
        try sandbox.write("module top; endmodule\n", to: sandbox.root + "/gen/rtl/top.v")
        try sandbox.write("x\n", to: sandbox.root + "/gen/fresh/deeper/report.txt")
        try sandbox.write("lock\n", to: sandbox.root + "/.lutbuild/lock")
        try sandbox.write("index\n", to: sandbox.root + "/.git/index")
        // Positive control, and the end of the wait: inotify reports in order
        // and a poll sees all four writes no later than this one.
        try sandbox.write("x,label\n5,1\n", to: sandbox.data)
        #expect(await seen.wait(for: sandbox.data), "the watcher reports nothing at all, so the check below proves nothing")
        #expect(seen.all.allSatisfy { !$0.contains("/gen/") && !$0.contains("/.lutbuild/") && !$0.contains("/.git/") })
        watcher.stop()
    }

    @Test(arguments: Kind.allCases)
    func atomicSavesAndNewFoldersAreReportedByPath(kind: Kind) async throws {
        let sandbox = try WatchSandbox()
        let seen = Seen()
        let watcher = makeWatcher(kind, sandbox)
        try watcher.start { seen.record($0) }
        try sandbox.atomicSave("epochs = 9\n", to: sandbox.config)
        #expect(await seen.wait(for: sandbox.config))
        let nested = sandbox.root + "/new/a/b/c.csv"
        try sandbox.write("1\n", to: nested)
        #expect(await seen.wait(for: nested))
        watcher.stop()
    }

    @Test func stoppedWatcherReportsNothing() async throws {
        let sandbox = try WatchSandbox()
        let seen = Seen(), control = Seen()
        let watcher = FileWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded))
        let running = FileWatcher(scope: WatchScope(root: sandbox.root, excluded: sandboxExcluded))
        try watcher.start { seen.record($0) }
        try running.start { control.record($0) }
        watcher.stop()
        watcher.stop()
        try sandbox.write("epochs = 4\n", to: sandbox.config)
        // Positive control: a watcher still running reports the write.
        #expect(await control.wait(for: sandbox.config))
        #expect(seen.all.isEmpty)
        running.stop()
    }
}
