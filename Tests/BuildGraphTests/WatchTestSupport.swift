import BuildGraph
import Foundation
import Synchronization

/// A project the watch tests edit: lutbuild.toml, data/train.csv, and a
/// probe input that does not exist at first (the positive controls write it).
protocol WatchProject {
    var root: String { get }
    /// The file system the loop reads the inputs through.
    var fileSystem: any FileSystem { get }
    func write(_ text: String, to path: String) throws
    /// What editors do: write a temporary file next to the target, rename it over.
    func atomicSave(_ text: String, to path: String) throws
}

extension WatchProject {
    var config: String { root + "/lutbuild.toml" }
    var data: String { root + "/data/train.csv" }
    var probe: String { root + "/probe.csv" }
    /// The inputs of `makeLoop`'s loops.
    var inputs: Set<String> { [config, data, probe] }

    func atomicSave(_ text: String, to path: String) throws {
        let temporary = path + ".tmp~"
        try write(text, to: temporary)
        try fileSystem.rename(temporary, path)
    }
}

/// A throw-away project directory on disk, for the real watchers: gen/ and
/// .lutbuild/ exist, as in a built project.
final class WatchSandbox: WatchProject {
    let root: String
    let fileSystem: any FileSystem = LocalFileSystem()

    init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        root = base.appendingPathComponent("watch-\(UUID().uuidString)").path
        for directory in ["data", "gen/rtl", ".lutbuild"] {
            try fileSystem.createDirectory(root + "/" + directory)
        }
        try write("epochs = 1\n", to: config)
        try write("x,label\n1,0\n", to: data)
    }

    deinit { try? fileSystem.remove(root) }

    /// Writes in place (not through a rename), creating missing folders.
    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Bumps the modification time without changing the content.
    func touch(_ path: String) throws {
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
    }
}

/// The same project in memory, on a fake clock: for the loop's logic and the
/// poll watcher, where no real file system or time is needed.
final class MemoryWatchProject: WatchProject {
    let root = "/project"
    let clock = FakeClock()
    let memory: InMemoryFileSystem
    var fileSystem: any FileSystem { memory }

    init() throws {
        memory = InMemoryFileSystem(clock: clock)
        for directory in ["data", "gen/rtl", ".lutbuild"] { try memory.createDirectory(root + "/" + directory) }
        try write("epochs = 1\n", to: config)
        try write("x,label\n1,0\n", to: data)
    }

    /// Writes in place (keeping the inode), creating missing folders; the
    /// clock moves on first, so every write gets a new mtime.
    func write(_ text: String, to path: String) throws {
        clock.advance(nanoseconds: 1)
        try memory.createDirectory((path as NSString).deletingLastPathComponent)
        try memory.overwrite(path, Data(text.utf8))
    }
}

/// Collects a loop's reports so tests can wait for and inspect them.
final class ReportLog: Sendable {
    private let reports = Mutex<[WatchReport]>([])

    var all: [WatchReport] { reports.withLock { $0 } }

    var started: [[String]] {
        all.compactMap { if case .buildStarted(_, let paths) = $0 { paths } else { nil } }
    }

    var finished: [WatchReport] {
        all.filter { if case .buildStarted = $0 { false } else { true } }
    }

    func append(_ report: WatchReport) { reports.withLock { $0.append(report) } }

    /// Polls until `condition` holds, calling `step` before each look (a test
    /// moves its fake clock there); false after `seconds` of real time, which
    /// only bounds a failing test: a passing one returns as soon as it holds.
    func wait(seconds: Double = 60, step: () -> Void = {}, until condition: (ReportLog) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            step()
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(self)
    }
}

/// A watcher driven by the test itself, to feed exact event sequences.
final class ScriptedWatcher: ChangeWatcher, Sendable {
    private let handler = Mutex<(@Sendable (WatchEvent) -> Void)?>(nil)

    func start(_ handler: @escaping @Sendable (WatchEvent) -> Void) throws {
        self.handler.withLock { $0 = handler }
    }

    func stop() { handler.withLock { $0 = nil } }

    /// Delivers `event`; the loop has taken it in when this returns.
    func emit(_ event: WatchEvent) { handler.withLock { $0 }?(event) }
}

/// The build closure of most tests: fails on a config containing "bad", else summarises.
func fakeBuild(reading fileSystem: any FileSystem) -> WatchLoop.Build {
    { request in
        let config = request.changedPaths.first { $0.hasSuffix("lutbuild.toml") }
        if let config, let bytes = try? fileSystem.read(config), String(decoding: bytes, as: UTF8.self).contains("bad") {
            throw WatchError("lutbuild.toml: line 1: expected key = value")
        }
        return "built #\(request.number)"
    }
}

/// A loop over the project's three inputs, not building at start, reading
/// through the project's file system and waiting on `clock`.
func makeLoop(
    _ project: any WatchProject, watcher: any ChangeWatcher, clock: any SchedulingClock, log: ReportLog,
    debounceMilliseconds: Int = 50, build: WatchLoop.Build? = nil
) -> WatchLoop {
    let inputs = project.inputs
    return WatchLoop(
        watcher: watcher,
        options: WatchOptions(debounceMilliseconds: debounceMilliseconds, buildOnStart: false),
        fileSystem: project.fileSystem, clock: clock,
        inputs: { inputs }, build: build ?? fakeBuild(reading: project.fileSystem), report: { log.append($0) })
}

/// What lutbuild's watch mode leaves out (its output and state folders, git's).
let sandboxExcluded = ["gen", ".lutbuild", ".git"]
