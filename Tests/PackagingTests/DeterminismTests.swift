import Foundation
import Testing
@testable import Packaging

@Suite("Deterministic output")
struct DeterminismTests {
    @Test func twoRunsAreByteIdentical() throws {
        let core = sampleCore()
        let first = try Packager.allFiles(for: core, rtlContents: sampleRTL(for: core))
        let second = try Packager.allFiles(for: core, rtlContents: sampleRTL(for: core))
        #expect(first == second)
        #expect(Set(first.map(\.path)).count == first.count)
    }

    /// The paths a build declares before packaging are the ones it writes.
    @Test func outputPathsAreTheFilesWritten() throws {
        let core = sampleCore()
        #expect(try Packager.outputPaths(for: core) == Packager.allFiles(for: core, rtlContents: sampleRTL(for: core)).map(\.path))
    }

    @Test func everyOutputLivesUnderGen() throws {
        let core = sampleCore()
        let files = try Packager.allFiles(for: core, rtlContents: sampleRTL(for: core))
        #expect(files.allSatisfy { $0.path.hasPrefix("gen/") })
        #expect(
            files.map(\.path) == [
                "gen/vivado/build.tcl",
                "gen/vivado/clock.xdc",
                "gen/vivado/write_reports.tcl",
                "gen/vivado/fusesoc_synth.tcl",
                "gen/ip/example.org_lutnn_digits_lut_1.0/component.xml",
                "gen/ip/example.org_lutnn_digits_lut_1.0/xgui/digits_lut_v1_0.tcl",
                "gen/ip/example.org_lutnn_digits_lut_1.0/src/digits_lut_layer0.v",
                "gen/ip/example.org_lutnn_digits_lut_1.0/src/digits_lut_layer1.v",
                "gen/ip/example.org_lutnn_digits_lut_1.0/src/digits_lut.v",
                "gen/ip/example.org_lutnn_digits_lut_1.0/doc/digits_lut_input_thresholds.json",
                "gen/ip/example.org_lutnn_digits_lut_1.0/doc/digits_lut_output_codes.json",
                "gen/vivado/package_ip.tcl",
                "gen/digits_lut.core",
            ])
    }

    @Test func relativePathsWalkUpAndDown() {
        #expect(relativePath(to: "gen/rtl/a.v", from: "gen/vivado") == "../rtl/a.v")
        #expect(relativePath(to: "gen/vivado/reports", from: "gen/vivado") == "reports")
        #expect(relativePath(to: "hdl/top.v", from: "gen") == "../hdl/top.v")
        #expect(relativePath(to: "top.v", from: "gen/vivado") == "../../top.v")
        #expect(relativePath(to: "gen/gen/x.v", from: "gen") == "gen/x.v")
    }
}
