import Foundation
import Testing

/// `[hardware] dont_care = "unseen"` end to end: the RTL built from the
/// mapper's filled netlists agrees with software LUT inference of the filled
/// network in the real simulator, and the filled design is not the exact one.
@Suite struct DontCareBuildTests {
    @Test func filledDesignVerifiesInTheSimulatorAndDiffersFromTheExactOne() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let exact = try project.build(["--no-verify"])
        #expect(exact.status == 0, "\(exact.stderr)")
        let exactOutputs = try project.scratch.read("gen/tb/outputs.hex")

        try project.append("\n[hardware]\ndont_care = \"unseen\"\n")
        let result = try LutbuildBinary.run(["verify", "--json", "--simulator", "iverilog"], in: project.url)
        #expect(result.status == 0, "\(result.stderr)")
        let verify = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(verify?["mismatches"] as? Int == 0 && verify?["samples"] as? Int == 359, "\(result.stdout)")

        // `verify` builds what it needs and leaves the rest: the design's other outputs come with a build.
        let build = try project.build(["--no-verify"])
        #expect(build.status == 0, "\(build.stderr)")
        let report =
            try JSONSerialization.jsonObject(with: Data(project.scratch.read("gen/reports/lut_inference.json").utf8)) as? [String: Any]
        let dontCare = try #require(report?["dontCare"] as? [String: Any])
        #expect((dontCare["testLookupsOutsideCare"] as? Double ?? 0) > 0, "\(dontCare)")
        // The shipped (filled) tables' validation accuracy, the one a model is chosen by, and the exact ones'.
        #expect(report?["validationAccuracy"] as? Double == dontCare["filledValidationAccuracy"] as? Double)
        let data = try JSONSerialization.jsonObject(with: Data(project.scratch.read("gen/reports/data.json").utf8)) as? [String: Any]
        let validationRows = try #require(data?["validationRows"] as? Int)
        #expect(validationRows > 0 && report?["validationSamples"] as? Int == validationRows, "\(report ?? [:])")
        #expect(dontCare["exactValidationAccuracy"] is Double, "\(dontCare)")
        // The testbench expects the filled network's outputs, which differ from the exact ones on some test rows.
        #expect(try project.scratch.read("gen/tb/outputs.hex") != exactOutputs)
        let estimate =
            try JSONSerialization.jsonObject(with: Data(project.scratch.read("gen/reports/estimate.json").utf8)) as? [String: Any]
        let luts = try #require(estimate?["luts"] as? Int), exactLUTs = try #require(estimate?["exactLUTs"] as? Int)
        #expect(luts < exactLUTs, "\(luts) LUTs filled, \(exactLUTs) exact")
    }
}
