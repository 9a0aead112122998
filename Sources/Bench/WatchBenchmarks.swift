import BuildGraph
import Foundation
import Pipeline
import Synchronization

/// Benchmarks of this area; see Benchmark.swift.
let watchBenchmarks: [Benchmark] = [
    Benchmark(names: ["watch.save_to_build_ms", "watch.save_to_build_p95_ms"]) {
        let latencies = try saveToBuildMilliseconds(saves: 20).sorted()
        return [
            Figure(name: "watch.save_to_build_ms", value: latencies[latencies.count / 2], unit: "ms"),
            Figure(name: "watch.save_to_build_p95_ms", value: latencies[latencies.count * 95 / 100], unit: "ms"),
        ]
    }
]

/// Times from an editor-style save (write temp, rename over) of the project
/// file to the start of the rebuild, with the default debounce and the
/// inotify watcher; the median is the headline figure.
private func saveToBuildMilliseconds(saves: Int) throws -> [Double] {
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        .appendingPathComponent("watch-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("gen"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let config = root.appendingPathComponent("lutbuild.toml")
    try Data("seed = 0\n".utf8).write(to: config)

    let buildStarts = Mutex<[UInt64]>([])
    let started = DispatchSemaphore(value: 0)
    let loop = WatchLoop(
        watcher: FileWatcher(scope: WatchScope(root: root.path, excluded: OutputLayout.unwatched)),
        options: WatchOptions(buildOnStart: false),
        inputs: { [config.path] },
        build: { _ in
            buildStarts.withLock { $0.append(DispatchTime.now().uptimeNanoseconds) }
            started.signal()
            return "ok"
        },
        report: { _ in })
    try loop.start()
    defer { try? runBlocking { await loop.stop() } }

    var latencies: [Double] = []
    for index in 1...saves {
        let temporary = root.appendingPathComponent(".lutbuild.toml.swp")
        let saved = DispatchTime.now().uptimeNanoseconds
        try Data("seed = \(index)\n".utf8).write(to: temporary)
        guard rename(temporary.path, config.path) == 0 else { throw BenchError("rename failed") }
        guard started.wait(timeout: .now() + 2) == .success else {
            throw BenchError("no rebuild within 2 s of save \(index)")
        }
        let start = buildStarts.withLock { $0.last ?? saved }
        latencies.append(Double(start - saved) / 1e6)
        Thread.sleep(forTimeInterval: 0.05)
    }
    return latencies
}

/// Runs async work from the synchronous benchmark harness.
private func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    let failure = Mutex<(any Error)?>(nil)
    Task {
        do { try await body() } catch { failure.withLock { $0 = error } }
        done.signal()
    }
    done.wait()
    if let error = failure.withLock({ $0 }) { throw BenchError("\(error)") }
}
