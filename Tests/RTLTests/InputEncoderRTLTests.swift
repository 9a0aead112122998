import Datasets
import Foundation
import Subprocess
import NeuraLUT
@testable import RTL
import Testing

/// The input encoder in hardware: comparators on raw fixed-point values,
/// checked against the published thresholds and simulated on raw inputs.
@Suite struct InputEncoderRTLTests {
    /// Fixtures.small's 6 features: increasing, decreasing and constant quantizers, 2-bit codes.
    static let affine = InputEncoder(bits: 2, scale: [0.9, -1.3, 2.0, 0, 0.5, 7.5], offset: [0.2, -0.4, 0.0, 1.3, -0.6, 0.1])
    static let thresholds = InputThresholds(encoder: affine)
    static let signed = FixedPointFormat(isSigned: true, integerBits: 4, fractionBits: 4)

    /// `count` rows of raw values in -6…6 (so some clamp at s4.4's range), with labels.
    static func raw(count: Int, seed: UInt64 = 8) -> (values: [Float], labels: [Int]) {
        var rng = SeededRandom(seed: seed)
        let values = (0..<(count * 6)).map { _ in Float(rng.nextInt(below: 12_001) - 6000) / 1000 }
        return (values, (0..<count).map { _ in rng.nextInt(below: 3) })
    }

    @Test func formatsParseAndFitTheDataRange() {
        #expect(FixedPointFormat(parsing: "u8.0") == FixedPointFormat(isSigned: false, integerBits: 8, fractionBits: 0))
        #expect(FixedPointFormat(parsing: "s4.12")?.bits == 16)
        for bad in ["u8", "x8.0", "s0.4", "u9.8", "u-1.2", "u8.0.1", ""] { #expect(FixedPointFormat(parsing: bad) == nil, "\(bad)") }
        #expect(FixedPointFormat.fitting(minimum: 0, maximum: 255, integral: true).description == "u8.0")
        #expect(FixedPointFormat.fitting(minimum: 0, maximum: 16, integral: true).description == "u5.0")
        #expect(FixedPointFormat.fitting(minimum: -2.5, maximum: 3.1, integral: false).description == "s3.13")
        #expect(signedQuantizes())
    }

    private func signedQuantizes() -> Bool {
        Self.signed.quantize(1.03) == 16 && Self.signed.quantize(-100) == -128 && Self.signed.quantize(100) == 127
            && Self.signed.pattern(-1) == 0xFF
    }

    /// On the format's grid the comparators give exactly the published thresholds' codes.
    @Test func comparatorsAgreeWithThePublishedThresholdsOnTheGrid() {
        let encoder = InputEncoderRTL(thresholds: Self.thresholds, format: Self.signed)
        for feature in 0..<6 {
            for value in Self.signed.minimum...Self.signed.maximum {
                let x = Double(value) / 16
                #expect(encoder.code(value, feature: feature) == Self.thresholds.code(x, feature: feature), "feature \(feature) x \(x)")
            }
        }
    }

    @Test(arguments: [Simulator.verilator, .iverilog])
    func rawInputsSimulateToSoftwareLUTInference(simulator: Simulator) throws {
        let encoder = InputEncoderRTL(thresholds: Self.thresholds, format: Self.signed)
        let (raw, labels) = Self.raw(count: 200)
        let vectors = try TestVectors(network: Fixtures.small, encoder: encoder, raw: raw, count: 200, labels: labels)
        for options in [
            RTLOptions(topName: "enc_raw", inputEncoder: true),
            RTLOptions(topName: "enc_axis", interface: .axis(userBits: 0), inputEncoder: true),
            RTLOptions(topName: "enc_comb", registers: .none, argmax: false, inputEncoder: true),
        ] {
            let design = try VerilogEmitter.design(network: Fixtures.small, options: options, encoder: encoder)
            #expect(design.inputWidth == 6 * 8 && design.files.contains { $0.path == "\(options.topName)_encoder.v" })
            let directory = try Fixtures.temporaryDirectory("encoder")
            defer { try? FileManager.default.removeItem(at: directory) }
            let report = try Verifier(simulator: simulator).verify(design: design, network: Fixtures.small, vectors: vectors, in: directory)
            #expect(report.mismatches == 0, "\(options.topName): \(report.summary)")
            #expect(report.samples == 200)
        }
    }

    /// `[dataset] value_step`: with the thresholds moved onto the step's multiples, the
    /// comparators give every raw value the published thresholds' code of its floored value,
    /// so hardware fed raw values computes what training and LUT inference saw (floored
    /// values). (A floored value exactly on an unmoved threshold is the documented tie of the
    /// affine rule, which rounds half to even: step 0.25 meets feature 2's boundaries ±0.25.)
    @Test func thresholdsOnAValueGridGiveRawValuesTheCodesOfTheirFloor() {
        for step in [0.25, 0.5, 2] {
            let grid = ValueGrid(step: step)
            let encoder = InputEncoderRTL(thresholds: Self.thresholds.onGrid(grid), format: Self.signed)
            for feature in 0..<6 {
                for value in Self.signed.minimum...Self.signed.maximum {
                    let floored = grid.floor(Double(value) / 16)
                    #expect(
                        encoder.code(value, feature: feature) == Self.thresholds.code(floored, feature: feature),
                        "step \(step) feature \(feature) value \(value)")
                }
            }
        }
        #expect(ValueGrid(step: 32).increasingThreshold(40.2) == 64 && ValueGrid(step: 32).increasingThreshold(64) == 64)
        #expect(ValueGrid(step: 32).decreasingThreshold(40.2) == 64.0.nextDown)
    }

    /// In simulation: raw (unfloored) values through the moved comparators give the outputs
    /// software LUT inference gives their floored values; the unmoved thresholds do not.
    @Test func rawValuesSimulateToInferenceOfTheirFlooredValues() throws {
        let grid = ValueGrid(step: 0.5)
        let (raw, labels) = Self.raw(count: 200)
        let ports = raw.map { Self.signed.quantize(Double($0)) }
        let flooredCodes = ports.enumerated().map { i, value in
            Self.affine.code(Float(grid.floor(Double(value) / 16)), feature: i % 6)
        }
        var vectors = try TestVectors(network: Fixtures.small, codes: flooredCodes, count: 200, labels: labels)
        vectors.inputs = ports.map(Self.signed.pattern)
        for (name, thresholds, clean) in [("grid", Self.thresholds.onGrid(grid), true), ("off_grid", Self.thresholds, false)] {
            let encoder = InputEncoderRTL(thresholds: thresholds, format: Self.signed)
            let design = try VerilogEmitter.design(
                network: Fixtures.small, options: RTLOptions(topName: "enc_\(name)", inputEncoder: true), encoder: encoder)
            let directory = try Fixtures.temporaryDirectory("encoder-\(name)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let report = try Verifier(simulator: .iverilog).verify(design: design, network: Fixtures.small, vectors: vectors, in: directory)
            #expect((report.mismatches == 0) == clean, "\(name): \(report.summary)")
        }
    }

    /// Only the features layer 0 reads get comparators: the rest are never read, and
    /// comparing them would count LUTs the design does not need.
    @Test func onlyTheFeaturesTheNetworkReadsAreCompared() {
        let encoder = InputEncoderRTL(thresholds: Self.thresholds, format: Self.signed)
        let all = encoder.module(name: "enc_all", reading: Set(0..<6)).contents
        let some = encoder.module(name: "enc_some", reading: [0, 2]).contents
        #expect(all.contains("wire signed [7:0] x1 =") && all.contains("wire signed [7:0] x4 ="))
        #expect(some.contains("wire signed [7:0] x0 =") && some.contains("wire signed [7:0] x2 ="))
        #expect(!some.contains(" x1 ") && !some.contains(" x4 ") && !some.contains(" x5 "))
        #expect(some.contains("assign codes[3:2] = 2'd0;  // not read by the network"))
        let read = Fixtures.small.connectivity.readFeatures
        #expect(encoder.module(name: "enc", network: Fixtures.small).contents.components(separatedBy: "not read").count == 7 - read.count)
    }

    /// A comparator off by one grid step is caught on raw inputs.
    @Test func aWrongThresholdIsCaught() throws {
        let encoder = InputEncoderRTL(thresholds: Self.thresholds, format: Self.signed)
        var wrong = encoder
        guard case .increasing(var values) = wrong.features[0] else {
            Issue.record("feature 0 is increasing")
            return
        }
        values[1] += 3
        wrong.features[0] = .increasing(values)
        let (raw, _) = Self.raw(count: 200)
        let vectors = try TestVectors(network: Fixtures.small, encoder: encoder, raw: raw, count: 200)
        let design = try VerilogEmitter.design(
            network: Fixtures.small, options: RTLOptions(topName: "enc_bad", inputEncoder: true), encoder: wrong)
        let directory = try Fixtures.temporaryDirectory("encoder-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier(simulator: .iverilog).verify(design: design, network: Fixtures.small, vectors: vectors, in: directory)
        #expect(report.mismatches > 0, "\(report.summary)")
    }

    @Test(arguments: ["s4.4", "u3.2", "u1.0"])
    func lintCleanUnderVerilatorWallAndIverilog(format: String) throws {
        let encoder = InputEncoderRTL(thresholds: Self.thresholds, format: try #require(FixedPointFormat(parsing: format)))
        let design = try VerilogEmitter.design(
            network: Fixtures.small, options: RTLOptions(topName: "enc_lint", inputEncoder: true), encoder: encoder)
        for result in try Fixtures.lint(design, label: "encoder-lint") {
            #expect(result.status == 0 && result.output.isEmpty, "\(format): \(result.output)")
        }
    }
}
