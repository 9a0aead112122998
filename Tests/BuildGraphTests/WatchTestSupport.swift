import BuildGraph
import Foundation
import Synchronization

/// A throw-away project directory: lutbuild.toml, data/train.csv, gen/.
final class WatchSandbox {
    let root: String
    var config: String { root + "/lutbuild.toml" }
    var data: String { root + "/data/train.csv" }

    init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        root = base.appendingPathComponent("watch-\(UUID().uuidString)").path
        for directory in ["data", "gen/rtl", ".lutbuild"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        try write("epochs = 1\n", to: config)
        try write("x,label\n1,0\n", to: data)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// What editors do: write a temporary file next to the target, rename it over.
    func atomicSave(_ text: String, to path: String) throws {
        let temporary = path + ".tmp~"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw WatchError("rename failed") }
    }

    /// Bumps the modification time without changing the content.
    func touch(_ path: String) throws {
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
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

    /// Polls until `condition` holds; false after `seconds`.
    func wait(seconds: Double = 5, until condition: (ReportLog) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
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

    func emit(_ event: WatchEvent) { handler.withLock { $0 }?(event) }
}

/// The build closure of most tests: fails on a config containing "bad", else summarises.
@Sendable func fakeBuild(_ request: WatchBuildRequest) async throws -> String {
    let config = request.changedPaths.first { $0.hasSuffix("lutbuild.toml") }
    if let config, let text = try? String(contentsOfFile: config, encoding: .utf8), text.contains("bad") {
        throw WatchError("lutbuild.toml: line 1: expected key = value")
    }
    return "built #\(request.number)"
}

/// A loop over the sandbox's two inputs, not building at start.
func makeLoop(_ sandbox: WatchSandbox, watcher: any ChangeWatcher, log: ReportLog,
              debounceMilliseconds: Int = 50,
              build: @escaping WatchLoop.Build = fakeBuild) -> WatchLoop {
    let inputs: Set<String> = [sandbox.config, sandbox.data]
    return WatchLoop(
        watcher: watcher,
        options: WatchOptions(debounceMilliseconds: debounceMilliseconds, buildOnStart: false),
        inputs: { inputs }, build: build, report: { log.append($0) })
}

/// What lutbuild's watch mode leaves out (its output and state folders, git's).
let sandboxExcluded = ["gen", ".lutbuild", ".git"]
