import BuildGraph
import Foundation
import Pipeline
import Synchronization
import ProjectFile

/// Benchmarks of this area; see Benchmark.swift.
let buildBenchmarks: [Benchmark] = [
    Benchmark(names: [
        "build.mnist-5l.noop_s",
        "build.mnist-5l.rtl_change.trained_partitions",
        "build.mnist-5l.width_change.trained_partitions",
    ]) {
        try MnistBuildBenchmark().run()
    }
]

/// The incremental build on the mnist-5l project (784 → 256 → 100 → 100 →
/// 100 → 10, about 2,000 steps), trained one epoch in a fresh temporary
/// project: a no-op rebuild's wall time, then how many partitions an `[rtl]`
/// edit (expected 0) and one hidden layer's width edit (expected 100) retrain.
/// RTL simulation and the yosys estimate are left out (not what these figures measure).
struct MnistBuildBenchmark {
    let mnist = sharedDatasets.appendingPathComponent("mnist").standardizedFileURL

    func run() throws -> [Figure] {
        guard FileManager.default.fileExists(atPath: mnist.appendingPathComponent("train-images-idx3-ubyte.gz").path) else {
            throw BenchError("MNIST not found in \(mnist.path)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-bench-mnist-5l-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        try write(config(layer1Width: nil, argmax: true), in: directory)
        let first = try build(directory)
        guard BuildPipeline.trainedPartitions(first).count == 566 else {
            throw BenchError("the first build trained \(BuildPipeline.trainedPartitions(first).count) partitions, expected 566")
        }
        var noop: [Double] = []
        for _ in 0..<5 {
            var summary = BuildSummary()
            noop.append(try measureSeconds { summary = try build(directory) })
            guard summary.ran.isEmpty else { throw BenchError("a no-op build ran \(summary.ran.count) steps") }
        }
        try write(config(layer1Width: nil, argmax: false), in: directory)
        let rtl = try build(directory)
        try write(config(layer1Width: 8, argmax: false), in: directory)
        let width = try build(directory)
        return [
            Figure(name: "build.mnist-5l.noop_s", value: noop.sorted()[noop.count / 2], unit: "s"),
            Figure(
                name: "build.mnist-5l.rtl_change.trained_partitions",
                value: Double(BuildPipeline.trainedPartitions(rtl).count), unit: "partitions"),
            Figure(
                name: "build.mnist-5l.width_change.trained_partitions",
                value: Double(BuildPipeline.trainedPartitions(width).count), unit: "partitions"),
        ]
    }

    /// Opens the project and builds it, as `lutbuild build --no-verify --no-estimate` does;
    /// without a remote cache unless one is given (whatever the environment says).
    func build(_ directory: URL, remoteCache: RemoteCacheChoice = RemoteCacheChoice(url: "")) throws -> BuildSummary {
        let result = Mutex<Result<BuildSummary, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let project = try Project.open(path: directory.path)
                let summary = try await BuildPipeline(project: project, request: BuildRequest(verify: false, estimate: false))
                    .build(remoteCache: remoteCache)
                result.withLock { $0 = .success(summary) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }

    func write(_ text: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent("lutbuild.toml"), options: .atomic)
    }

    func config(layer1Width: Int?, argmax: Bool) -> String {
        """
        [project]
        name = "mnist_5l"

        \(mnistDatasetSection())

        [model]
        seed = 1
        input_bits = 2
        bits = 2
        fan_in = 6
        width = 16
        depth = 4
        skip = 2
        layers = [
          { partitions = 256 },
          { partitions = 100\(layer1Width.map { ", width = \($0)" } ?? "") },
          { partitions = 100 },
          { partitions = 100 },
          { partitions = 10 },
        ]

        [train]
        epochs = 1
        batch = 128

        [rtl]
        argmax = \(argmax)

        """
    }
}
