import Foundation
import NeuraLUT
import RTL

/// Benchmarks of this area; see Benchmark.swift. They use random-table
/// networks of the reference shapes (LUTNetwork.random): the figures are
/// about speed and correctness, which do not depend on trained weights.
let rtlBenchmarks: [Benchmark] = [
    Benchmark(names: ["lutinfer.jsc-2l.samples_per_s"]) {
        let network = LUTNetwork.random(spec: RtlReference.jsc2l, seed: 1)
        let count = 2_000_000
        let codes = RtlReference.codes(for: network, count: count)
        let seconds = try (0..<3).map { _ in try measureSeconds { _ = try network.infer(codes: codes, count: count) } }.min()!
        return [Figure(name: "lutinfer.jsc-2l.samples_per_s", value: Double(count) / seconds, unit: "samples/s")]
    },
    Benchmark(names: ["rtl.jsc-2l.emit_s"]) {
        [Figure(name: "rtl.jsc-2l.emit_s", value: try RtlReference.emitSeconds(RtlReference.jsc2l), unit: "s")]
    },
    Benchmark(names: ["rtl.mnist-5l.emit_s"]) {
        [Figure(name: "rtl.mnist-5l.emit_s", value: try RtlReference.emitSeconds(RtlReference.mnist5l), unit: "s")]
    },
    Benchmark(names: ["verify.jsc-2l.s", "verify.jsc-2l.mismatches"]) {
        let report = try RtlReference.verify(RtlReference.jsc2l, samples: 50_000)
        return [
            Figure(name: "verify.jsc-2l.s", value: report.wallSeconds, unit: "s"),
            Figure(name: "verify.jsc-2l.mismatches", value: Double(report.mismatches), unit: "samples"),
        ]
    },
    Benchmark(names: ["estimate.jsc-2l.luts", "estimate.jsc-2l.s"]) {
        let network = LUTNetwork.random(spec: RtlReference.jsc2l, seed: 1)
        let design = try VerilogEmitter.design(network: network, options: RTLOptions(topName: "jsc_2l"))
        let estimate = try RtlReference.inTemporaryDirectory { try Estimator().estimate(design: design, in: $0) }
        return [
            Figure(name: "estimate.jsc-2l.luts", value: Double(estimate.luts), unit: "LUTs"),
            Figure(name: "estimate.jsc-2l.s", value: estimate.seconds, unit: "s"),
        ]
    },
]

/// The reference shapes (docs/method.md) and helpers shared by the benchmarks above.
enum RtlReference {
    static func spec(_ widths: [Int], bits: [Int], fanIn: [Int], width: Int, classes: Int) -> NetworkSpec {
        NetworkSpec(
            inputFeatures: widths[0], inputBits: bits[0], classes: classes,
            layers: widths.dropFirst().enumerated().map { i, partitions in
                LayerSpec(
                    partitions: partitions, fanIn: i == 0 ? fanIn[0] : (i == widths.count - 2 ? fanIn[2] : fanIn[1]),
                    outputBits: i == widths.count - 2 ? bits[2] : bits[1], shape: .neuraLUT(width: width))
            },
            seed: 1)
    }

    static let jsc2l = spec([16, 32, 5], bits: [4, 4, 4], fanIn: [3, 3, 3], width: 8, classes: 5)
    static let mnist5l = spec([784, 256, 100, 100, 100, 10], bits: [2, 2, 2], fanIn: [6, 6, 6], width: 16, classes: 10)

    static func codes(for network: LUTNetwork, count: Int) -> [UInt16] {
        var rng = SeededRandom(seed: 42)
        let limit = 1 << network.spec.inputBits
        return (0..<(count * network.spec.inputFeatures)).map { _ in UInt16(rng.nextInt(below: limit)) }
    }

    /// Best of three emissions of the whole design.
    static func emitSeconds(_ spec: NetworkSpec) throws -> Double {
        let network = LUTNetwork.random(spec: spec, seed: 1)
        return try (0..<3).map { _ in try measureSeconds { _ = try VerilogEmitter.design(network: network) } }.min()!
    }

    /// Emits, writes and simulates `samples` random samples with the default simulator.
    static func verify(_ spec: NetworkSpec, samples: Int) throws -> VerificationReport {
        let network = LUTNetwork.random(spec: spec, seed: 1)
        let design = try VerilogEmitter.design(network: network)
        let vectors = try TestVectors(network: network, codes: codes(for: network, count: samples), count: samples)
        return try inTemporaryDirectory { try Verifier().verify(design: design, network: network, vectors: vectors, in: $0) }
    }

    static func inTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }
}
