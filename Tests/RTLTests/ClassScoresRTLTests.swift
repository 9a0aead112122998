import Foundation
import NeuraLUT
@testable import RTL
import Testing

/// The additive output head in logic: `<top>_class_scores` sums each
/// class's k codes, `out_data` carries the scores, and the simulators must
/// agree with `ClassScores` on every sample.
@Suite struct ClassScoresRTLTests {
    /// `Fixtures.smallSpec` with 3 classes × k partitions in the last layer.
    static func network(partitionsPerClass k: Int, tieBreakers t: Int = 0) -> LUTNetwork {
        var spec = Fixtures.smallSpec
        spec.layers[2].partitions = spec.classes * k
        spec.partitionsPerClass = k
        spec.tieBreakers = t
        return LUTNetwork.random(spec: spec, seed: 11)
    }

    static func vectors(_ network: LUTNetwork) throws -> TestVectors {
        var rng = SeededRandom(seed: 5)
        let labels = (0..<VerifierTests.samples).map { _ in rng.nextInt(below: 3) }
        return try TestVectors(
            network: network, codes: Fixtures.codes(for: network, count: VerifierTests.samples), count: VerifierTests.samples,
            labels: labels)
    }

    @Test func portsCarryTheScores() throws {
        let network = Self.network(partitionsPerClass: 3)
        // 3-bit codes, 3 per class: 5-bit scores.
        #expect(network.spec.scoreBits == 5 && network.spec.scoreCount == 3)
        let design = try VerilogEmitter.design(network: network, options: RTLOptions(topName: "sum_net"))
        #expect(design.outputWidth == 15 && design.classWidth == 2)
        #expect(design.ports.first { $0.name == "out_data" }?.width == 15)
        #expect(design.files.map(\.path).contains("sum_net_class_scores.v"))
        let axis = try #require(RTLOptions(topName: "sum_axis", interface: .axis(userBits: 0)).axisLayout(network: network))
        #expect(axis.codes.bits == 15 && axis.outClass?.byteOffset == 2 && axis.masterBytes == 3)
        #expect(axis.codes.name == "scores" && axis.lines.contains { $0.contains("scores: 3 class scores of 5 bits") })
        // The expected outputs are the scores LUT inference gives.
        let vectors = try Self.vectors(network)
        let codes = try network.infer(codes: vectors.inputs, count: vectors.count)
        #expect(vectors.outputs == ClassScores.scores(codes, classes: 3, partitionsPerClass: 3))
        #expect(vectors.classes == ClassScores.classes(codes, classes: 3, partitionsPerClass: 3))
    }

    @Test func lintCleanUnderVerilatorWallAndIverilog() throws {
        let cases = [
            (2, RTLOptions(topName: "sum_raw")), (3, RTLOptions(topName: "sum_axis", interface: .axis(userBits: 0))),
            (20, RTLOptions(topName: "sum_k20")),
        ]
        for (k, options) in cases {
            let design = try VerilogEmitter.design(network: Self.network(partitionsPerClass: k), options: options)
            for result in try Fixtures.lint(design, label: "sum-lint") {
                #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
            }
        }
    }

    @Test(arguments: [Simulator.verilator, .iverilog])
    func simulatedScoresMatchSoftware(simulator: Simulator) throws {
        let cases: [(Int, RTLOptions)] = [
            (2, RTLOptions(topName: "sum_reg")),
            (3, RTLOptions(topName: "sum_comb", registers: .none, argmax: false)),
            (3, RTLOptions(topName: "sum_axis", interface: .axis(userBits: 2))),
            // Counters of 3, 4, 5 and 6 bits, and count bits dropped at the score's top.
            (7, RTLOptions(topName: "sum_k7")),
            (20, RTLOptions(topName: "sum_k20", registers: .none)),
        ]
        for (k, options) in cases {
            let network = Self.network(partitionsPerClass: k)
            try Self.expectMatches(network, options, simulator: simulator)
        }
    }

    /// Tie-breakers enter the compressor one column below the other codes.
    @Test(arguments: [Simulator.verilator, .iverilog])
    func simulatedScoresWithTieBreakersMatchSoftware(simulator: Simulator) throws {
        for (k, t) in [(2, 1), (7, 3), (20, 1)] {
            let network = Self.network(partitionsPerClass: k, tieBreakers: t)
            #expect(network.spec.scoreBits == 3 + ClassScores.ceilLog2(2 * k - t))
            try Self.expectMatches(network, RTLOptions(topName: "tie_k\(k)_t\(t)"), simulator: simulator)
        }
    }

    /// The design simulated on the network's test vectors gives every score LUT inference gives.
    static func expectMatches(_ network: LUTNetwork, _ options: RTLOptions, simulator: Simulator) throws {
        let vectors = try Self.vectors(network)
        let design = try VerilogEmitter.design(network: network, options: options)
        let directory = try Fixtures.temporaryDirectory("sum")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier(simulator: simulator).verify(design: design, network: network, vectors: vectors, in: directory)
        #expect(report.samples == VerifierTests.samples, "\(options.topName)")
        #expect(report.mismatches == 0, "\(options.topName): \(report.summary)")
        #expect(report.accuracy == vectors.softwareAccuracy, "\(options.topName)")
    }

    /// The bench checks the scores themselves: one expected score off by one fails the run.
    @Test(arguments: [Simulator.verilator, .iverilog])
    func corruptedExpectedScoreIsCaught(simulator: Simulator) throws {
        let network = Self.network(partitionsPerClass: 2)
        var vectors = try Self.vectors(network)
        vectors.outputs[4] ^= 1
        let design = try VerilogEmitter.design(network: network, options: RTLOptions(topName: "sum_bad"))
        let directory = try Fixtures.temporaryDirectory("sum-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier(simulator: simulator).verify(design: design, network: network, vectors: vectors, in: directory)
        #expect(report.mismatches == 1, "\(report.summary)")
        #expect(!report.passed)
    }

    /// What the estimate step counts: yosys on the adders alone finds LUTs and
    /// carry chains, more for more partitions per class.
    @Test func yosysCountsTheAdders() throws {
        var luts: [Int] = []
        for k in [2, 4, 20] {
            let spec = Self.network(partitionsPerClass: k).spec
            let module = ClassScoresRTL.module(name: ClassScoresRTL.moduleName(topName: "est_sum"), spec: spec)
            let directory = try Fixtures.temporaryDirectory("sum-estimate")
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent(module.path)
            try Data(module.contents.utf8).write(to: file)
            let estimate = try Estimator(timeout: 300).estimate(
                verilogFiles: [file], top: "est_sum_class_scores", workDirectory: directory)
            #expect(estimate.luts > 0 && estimate.flipFlops == 0, "k \(k): \(estimate.report)")
            luts.append(estimate.luts)
        }
        #expect(luts[1] > luts[0] && luts[2] > luts[1], "\(luts)")
        // The compressor trees: twenty 3-bit codes into an 8-bit score cost
        // yosys 76 LUTs a class (a balanced tree of `+` took 227).
        #expect(luts[2] < 3 * 100, "\(luts)")
    }

    @Test func oneClassPerPartitionEmitsNoScoresModule() throws {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(topName: "plain"))
        #expect(!design.files.map(\.path).contains("plain_class_scores.v"))
        #expect(!design.files.contains { $0.contents.contains("class_scores") })
    }
}
