import Foundation
import Testing

/// `[rtl] interface = "axis"` through the whole build: the AXI4-Stream top,
/// `lutbuild verify` in both simulators, and the packaged stream interfaces.
@Suite struct AXISBuildTests {
    @Test func verifyRunsTheBackpressureTestbenchInBothSimulators() throws {
        let project = try TinyProject()
        defer { project.remove() }
        try project.edit("\n[fpga]", "interface = \"axis\"\ntuser_bits = 4\n\n[fpga]")
        let build = try project.build()
        try #require(build.status == 0, "\(build.stderr)")
        for simulator in ["iverilog", "verilator"] {
            let result = try LutbuildBinary.run(["verify", "--simulator", simulator], in: project.url)
            #expect(result.status == 0, "\(simulator): \(result.stderr)")
            #expect(result.stdout.hasPrefix("verify: 0 mismatches in 359 samples (\(simulator))"), "\(result.stdout)")
        }
        let top = try project.scratch.read("gen/rtl/digits_lut.v")
        #expect(top.contains("input  wire [3:0] s_axis_tuser") && top.contains("assign advance = m_axis_tready || !out_valid;"))
        let component = try project.scratch.read("gen/ip/example.org_lutnn_digits_lut_1.0/component.xml")
        #expect(component.contains("<spirit:name>axis_rtl</spirit:name>") || component.contains("spirit:name=\"axis_rtl\""))
        #expect(component.contains(">s_axis:m_axis</spirit:value>"))
        #expect(project.scratch.exists("gen/vivado/bd_example.tcl"))
    }

    /// `input_encoder = true`: the bench feeds the test rows' raw values (the
    /// digits' pixels, 0…16, so `auto` picks u5.0) through the comparators.
    @Test func inputEncoderVerifiesOnRawFeaturesInBothSimulators() throws {
        let project = try TinyProject()
        defer { project.remove() }
        try project.edit("\n[fpga]", "interface = \"axis\"\ninput_encoder = true\n\n[fpga]")
        let build = try project.build()
        try #require(build.status == 0, "\(build.stderr)")
        let encoder = try project.scratch.read("gen/rtl/digits_lut_encoder.v")
        #expect(encoder.contains("fixed point u5.0"), "\(encoder.prefix(600))")
        for simulator in ["iverilog", "verilator"] {
            let result = try LutbuildBinary.run(["verify", "--simulator", simulator], in: project.url)
            #expect(result.status == 0, "\(simulator): \(result.stderr)")
            #expect(result.stdout.hasPrefix("verify: 0 mismatches in 359 samples (\(simulator))"), "\(result.stdout)")
        }
        // 64 features of 5 bits: 40 bytes of s_axis_tdata; the first test row's raw pixels in inputs.hex.
        #expect(try project.scratch.read("gen/rtl/digits_lut.v").contains("input  wire [319:0] s_axis_tdata"))
        #expect(try project.scratch.read("gen/ip/example.org_lutnn_digits_lut_1.0/component.xml").contains("digits_lut_encoder.v"))

        // The encoder's LUTs, counted apart in estimate.json, the summary and the page.
        let estimate = try LutbuildBinary.run(["estimate", "--json"], in: project.url)
        let report = try JSONSerialization.jsonObject(with: Data(estimate.stdout.utf8)) as? [String: Any]
        let encoderLUTs = (report?["encoder"] as? [String: Any])?["luts"] as? Int ?? 0
        #expect(encoderLUTs > 0, "\(estimate.stdout)")
        let full = try LutbuildBinary.run(["build"], in: project.url)
        #expect(
            full.status == 0 && (full.stdout + full.stderr).contains("input encoder: \(encoderLUTs) LUTs more"),
            "\(full.stdout)\(full.stderr)")
        #expect(try project.scratch.read("gen/reports/index.html").contains("input encoder (not in total)"))

        try project.edit("input_encoder = true", "input_encoder = true\ninput_format = \"u8.0\"")
        let again = try LutbuildBinary.run(["verify", "--simulator", "iverilog"], in: project.url)
        #expect(again.status == 0 && again.stdout.hasPrefix("verify: 0 mismatches in 359 samples"), "\(again.stdout)\(again.stderr)")
        #expect(try project.scratch.read("gen/rtl/digits_lut_encoder.v").contains("fixed point u8.0"))
    }
}
