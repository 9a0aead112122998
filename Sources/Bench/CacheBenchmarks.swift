import BuildGraph
import Foundation
import NginxCacheServer
import Pipeline
import ProjectFile

/// Benchmarks of this area; see Benchmark.swift.
let cacheBenchmarks: [Benchmark] = [
    Benchmark(names: RemoteCacheBenchmark.names(prefix: "cache.remote")) {
        let mnist = MnistBuildBenchmark()
        guard FileManager.default.fileExists(atPath: mnist.mnist.appendingPathComponent("train-images-idx3-ubyte.gz").path) else {
            throw BenchError("MNIST not found in \(mnist.mnist.path)")
        }
        return try RemoteCacheBenchmark(prefix: "cache.remote") { directory in
            try mnist.write(mnist.config(layer1Width: nil, argmax: true), in: directory)
        }.run()
    },
    Benchmark(names: RemoteCacheBenchmark.names(prefix: "cache.remote.template")) {
        try RemoteCacheBenchmark(prefix: "cache.remote.template") { directory in
            _ = try ProjectTemplate.install(into: directory, displayName: directory.path)
        }.run()
    },
]

/// The remote cache on a project (the mnist-5l project of
/// `MnistBuildBenchmark`, one epoch; the `lutbuild init` template), with a
/// real nginx (WebDAV) on loopback: a first build without a remote cache
/// (cold), the same first build in another checkout uploading to the server
/// (its extra time is the upload overhead), then a fresh third checkout built
/// from the server (expected to train 0 partitions). All
/// `build --no-verify --no-estimate`.
struct RemoteCacheBenchmark {
    let prefix: String
    /// Writes the project into an empty directory.
    let setUp: (URL) throws -> Void

    static func names(prefix: String) -> [String] {
        ["cold_s", "upload_overhead_s", "second_checkout_s", "second_checkout.trained_partitions"].map { prefix + "." + $0 }
    }

    func run() throws -> [Figure] {
        let builder = MnistBuildBenchmark()
        let server = try NginxCacheServer()
        defer { server.stop() }
        let remote = RemoteCacheChoice(url: server.url)
        var checkouts: [URL] = []
        defer { for directory in checkouts { try? FileManager.default.removeItem(at: directory) } }
        func checkout() throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-bench-cache-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            checkouts.append(directory)
            try setUp(directory)
            return directory
        }

        let coldDirectory = try checkout(), uploadingDirectory = try checkout(), secondDirectory = try checkout()
        let cold = try measureSeconds { _ = try builder.build(coldDirectory) }
        var uploading = BuildSummary()
        let withUploads = try measureSeconds { uploading = try builder.build(uploadingDirectory, remoteCache: remote) }
        guard uploading.uploaded == uploading.ran.count, uploading.uploaded > 0 else {
            throw BenchError("the first build uploaded \(uploading.uploaded) of \(uploading.ran.count) results")
        }
        var second = BuildSummary()
        let secondSeconds = try measureSeconds { second = try builder.build(secondDirectory, remoteCache: remote) }
        return [
            Figure(name: prefix + ".cold_s", value: cold, unit: "s"),
            Figure(name: prefix + ".upload_overhead_s", value: withUploads - cold, unit: "s"),
            Figure(name: prefix + ".second_checkout_s", value: secondSeconds, unit: "s"),
            Figure(
                name: prefix + ".second_checkout.trained_partitions",
                value: Double(BuildPipeline.trainedPartitions(second).count), unit: "partitions"),
        ]
    }
}
