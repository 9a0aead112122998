import Datasets
import Foundation
import NeuraLUT
import RTL
import Subprocess
import TestSupport
import Testing

/// Small shapes that keep the simulator tests fast.
enum Fixtures {
    /// 6 inputs of 2 bits → 5 partitions (fan-in 3) → 3 signed outputs of 3 bits.
    static let smallSpec = NetworkSpec(
        inputFeatures: 6, inputBits: 2, classes: 3,
        layers: [
            LayerSpec(partitions: 5, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
            LayerSpec(partitions: 4, fanIn: 2, outputBits: 2, shape: .neuraLUT(width: 4)),
            LayerSpec(partitions: 3, fanIn: 3, outputBits: 3, shape: .neuraLUT(width: 4)),
        ],
        seed: 7)

    static let small = LUTNetwork.random(spec: smallSpec, seed: 11)

    /// `count` random input codes for `network`.
    static func codes(for network: LUTNetwork, count: Int, seed: UInt64 = 3) -> [UInt16] {
        var rng = SeededRandom(seed: seed)
        let limit = 1 << network.spec.inputBits
        return (0..<(count * network.spec.inputFeatures)).map { _ in UInt16(rng.nextInt(below: limit)) }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL { try Sandbox("rtl-\(label)").url }

    /// Verilator `--lint-only -Wall` and `iverilog -Wall` on `design`'s
    /// files; the one lint every RTL test uses. Each must pass and print nothing.
    static func lint(_ design: RTLDesign, label: String) throws -> [ExternalTool.Result] {
        let directory = try temporaryDirectory(label)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = try design.files.map { file in
            let url = directory.appendingPathComponent(file.path)
            try Data(file.contents.utf8).write(to: url)
            return url.path
        }
        let verilator = try ExternalTool.run(
            try #require(ExternalTool.find("verilator")),
            ["--lint-only", "-Wall", "--top-module", design.topName] + paths, in: directory, timeout: 120)
        let iverilog = try ExternalTool.run(
            try #require(ExternalTool.find("iverilog")),
            ["-g2005", "-Wall", "-o", "/dev/null", "-s", design.topName] + paths, in: directory, timeout: 120)
        return [verilator, iverilog]
    }
}

extension Fixtures {
    /// Three Gaussian blobs in `Fixtures.smallSpec`'s 6 features, labels 0…2.
    static func blobs(rows: Int = 240, seed: UInt64 = 9) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var features: [Float] = [], labels: [Int32] = []
        for r in 0..<rows {
            let label = r % 3
            labels.append(Int32(label))
            for f in 0..<6 {
                let centre: Float = f % 3 == label ? 1.5 : -0.5
                features.append(centre + (rng.nextUnitFloat() - 0.5) * 1.6)
            }
        }
        return Dataset(
            features: features, labels: labels, rows: rows, columns: 6, classes: 3,
            featureNames: (0..<6).map { "x\($0)" })
    }
}
