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
            times.append(
                try measureSeconds {
                    for (images, labels) in parts { rows += try IDXLoader.load(images: images, labels: labels).rows }
                })
            guard rows == 70_000 else { throw BenchError("expected 70,000 MNIST rows, loaded \(rows)") }
        }
        return [Figure(name: "data.mnist.load_s", value: times.sorted()[times.count / 2], unit: "s")]
    },
    Benchmark(names: ["data.csv.load_s", "data.csv.quoted_load_s"]) {
        // 100,000 rows × 64 features + a label (about 40 MB), unquoted (the fast path)
        // and with every cell quoted (RFC 4180, as some writers do); median of 5 parses each.
        let rows = 100_000, features = 64
        func file(quoted: Bool) -> [UInt8] {
            let q = quoted ? "\"" : ""
            var text = (0..<features).map { "\(q)f\($0)\(q)" }.joined(separator: ",") + ",\(q)label\(q)\n"
            text.reserveCapacity(rows * features * 7)
            for r in 0..<rows {
                for f in 0..<features { text += "\(q)\(Double((r * 31 + f * 17) % 1000) / 8)\(q)," }
                text += "\(q)\(r % 10)\(q)\n"
            }
            return Array(text.utf8)
        }
        func median(_ bytes: [UInt8]) throws -> Double {
            var times: [Double] = []
            for _ in 0..<5 {
                var loaded = 0
                times.append(
                    try measureSeconds {
                        loaded = try CSVLoader.parse(bytes, labelColumn: "label", file: "bench.csv").rows
                    })
                guard loaded == rows else { throw BenchError("expected \(rows) CSV rows, loaded \(loaded)") }
            }
            return times.sorted()[times.count / 2]
        }
        return [
            Figure(name: "data.csv.load_s", value: try median(file(quoted: false)), unit: "s"),
            Figure(name: "data.csv.quoted_load_s", value: try median(file(quoted: true)), unit: "s"),
        ]
    },
]
