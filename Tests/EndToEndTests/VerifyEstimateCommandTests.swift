import Foundation
import Testing

/// `lutbuild verify` and `lutbuild estimate` on a tiny project with the real tools.
@Suite struct VerifyEstimateCommandTests {
    @Test func verifyBuildsThenReportsZeroMismatches() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let result = try LutbuildBinary.run(["verify", "--simulator", "iverilog"], in: project.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("verify: 0 mismatches in 359 samples (iverilog), RTL test accuracy "), "\(result.stdout)")

        let json = try LutbuildBinary.run(["verify", "--json", "--simulator", "iverilog"], in: project.url)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["mismatches"] as? Int == 0)
        #expect(report?["samples"] as? Int == 359)
    }

    @Test func estimatePrintsTheMappedCountAndWithYosysBoth() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let result = try LutbuildBinary.run(["estimate"], in: project.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Hardware of the mapped partitions") && !result.stdout.contains("yosys"), "\(result.stdout)")
        let json = try LutbuildBinary.run(["estimate", "--json"], in: project.url)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let luts = report?["luts"] as? Int ?? 0
        #expect(luts > 0 && (report?["layers"] as? [Any])?.count == 3, "\(json.stdout)")
        let both = try LutbuildBinary.run(["estimate", "--yosys"], in: project.url)
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.contains("Hardware of the mapped partitions") && both.stdout.contains("(yosys synth_xilinx"), "\(both.stdout)")
    }
}
