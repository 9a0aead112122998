import Datasets
import Foundation

/// Benchmarks of this area; see Benchmark.swift.
let dataBenchmarks: [Benchmark] = [
    Benchmark(names: ["data.mnist.load_s"]) {
        let folder = sharedDatasets.appendingPathComponent("mnist")
        func file(_ name: String) throws -> URL {
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { throw BenchError("missing \(url.path)") }
            return url
        }
        let parts = [
            (try file("train-images-idx3-ubyte.gz"), try file("train-labels-idx1-ubyte.gz")),
            (try file("t10k-images-idx3-ubyte.gz"), try file("t10k-labels-idx1-ubyte.gz")),
        ]
        // Median of 5 runs of loading train + test (gunzip, parse, convert to Float).
        var times: [Double] = []
        for _ in 0..<5 {
            var rows = 0
            times.append(try measureSeconds {
                for (images, labels) in parts { rows += try IDXLoader.load(images: images, labels: labels).rows }
            })
            guard rows == 70_000 else { throw BenchError("expected 70,000 MNIST rows, loaded \(rows)") }
        }
        return [Figure(name: "data.mnist.load_s", value: times.sorted()[times.count / 2], unit: "s")]
    },
]
