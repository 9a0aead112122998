import Foundation
import Testing

/// `lutbuild report --vivado DIR` on report texts laid out as Vivado writes them.
@Suite struct ReportCommandTests {
    /// An init'd project (default `[fpga]`: xcvu9p-flgb2104-2-i at 500 MHz) with reports in `vivado-reports/`.
    private func project(wns: String, withTiming: Bool = true) throws -> Scratch {
        let scratch = try Scratch()
        #expect(try LutbuildBinary.run(["init", "."], in: scratch.url).status == 0)
        try scratch.write("vivado-reports/utilization.rpt", ReportFixtures.utilization)
        if withTiming { try scratch.write("vivado-reports/timing_summary.rpt", ReportFixtures.timingSummary(wns: wns)) }
        return scratch
    }

    @Test func summarizesTheReportsAndWritesVivadoJSON() throws {
        let scratch = try project(wns: "0.123")
        defer { scratch.remove() }
        let result = try LutbuildBinary.run(["report", "--vivado", "vivado-reports"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                Vivado results (digits_lut, Vivado v.2020.1, Routed):
                  LUTs   4684 (logic 4684, memory 0)
                  FFs    473
                  WNS    0.123 ns
                  Fmax   532.8 MHz achieved vs 500.0 MHz target ([fpga] clock_mhz): target met
                         covers not known (no check_timing in the report)
                  part   xcvu9p-flgb2104-2-i (target), xcvu9pflgb2104-2 (in the report)
                wrote gen/reports/vivado.json

                """)
        let stored = try #require(
            try JSONSerialization.jsonObject(with: Data(scratch.read("gen/reports/vivado.json").utf8)) as? [String: Any])
        #expect(stored["meets_target_clock"] as? Bool == true)
        #expect(stored["part_matches"] as? Bool == true)
        let vivado = try #require(stored["vivado"] as? [String: Any])
        #expect((vivado["utilization"] as? [String: Any])?["luts"] as? Int == 4684)
        #expect((vivado["timing"] as? [String: Any])?["wns_ns"] as? Double == 0.123)
    }

    @Test func jsonIsDeterministicAndMatchesTheFile() throws {
        let scratch = try project(wns: "-0.250")
        defer { scratch.remove() }
        let first = try LutbuildBinary.run(["report", "--vivado", "vivado-reports", "--json"], in: scratch.url)
        #expect(first.status == 0, "\(first.stderr)")
        let written = try scratch.read("gen/reports/vivado.json")
        let second = try LutbuildBinary.run(["report", "--vivado", "vivado-reports", "--json"], in: scratch.url)
        #expect(first.stdout == written)
        #expect(second.stdout == written)
        #expect(written.contains(#""meets_target_clock" : false"#))
        #expect(written.contains(#""clock_mhz" : 500"#))
        // Keys are sorted at every level.
        #expect(written.range(of: #""meets_target_clock""#)!.lowerBound < written.range(of: #""target""#)!.lowerBound)
    }

    @Test func aMissedTargetIsSaidPlainly() throws {
        let scratch = try project(wns: "-0.250")
        defer { scratch.remove() }
        let result = try LutbuildBinary.run(["report", "--vivado", "vivado-reports"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Fmax   444.4 MHz achieved vs 500.0 MHz target ([fpga] clock_mhz): target NOT met"))
        #expect(result.stdout.contains("WNS    -0.250 ns (7 failing endpoints)"))
    }

    @Test func theImportedResultsStayThroughBuildsAndDoNotMakeTheProjectStale() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try LutbuildBinary.run(["build", "--simulator", "iverilog"], in: project.url).status == 0)
        try project.scratch.write("vivado-reports/utilization.rpt", ReportFixtures.utilization)
        try project.scratch.write("vivado-reports/timing_summary.rpt", ReportFixtures.timingSummary(wns: "0.123"))
        #expect(try LutbuildBinary.run(["report", "--vivado", "vivado-reports"], in: project.url).status == 0)
        let imported = try project.scratch.read("gen/reports/vivado.json")

        let status = try LutbuildBinary.run(["status", "--check", "--simulator", "iverilog"], in: project.url)
        #expect(status.status == 0, "\(status.stdout)")
        #expect(try LutbuildBinary.run(["build", "--simulator", "iverilog"], in: project.url).status == 0)
        #expect(try project.scratch.read("gen/reports/vivado.json") == imported)
    }

    @Test func aFolderWithoutTheReportsIsAClearError() throws {
        let scratch = try project(wns: "0.1", withTiming: false)
        defer { scratch.remove() }
        let missingFile = try LutbuildBinary.run(["report", "--vivado", "vivado-reports"], in: scratch.url)
        #expect(missingFile.status == 2)
        #expect(missingFile.stderr.hasPrefix("error: "))
        #expect(missingFile.stderr.contains("vivado-reports/timing_summary.rpt: cannot read the Vivado report"))
        #expect(!scratch.exists("gen/reports/vivado.json"))

        let missingFolder = try LutbuildBinary.run(["report", "--vivado", "nowhere"], in: scratch.url)
        #expect(missingFolder.status == 2)
        #expect(
            missingFolder.stderr.contains("nowhere: no such directory; expected the folder where gen/vivado/build.tcl wrote its reports"))
    }
}

/// Minimal report texts in Vivado's layout (numbers made up).
private enum ReportFixtures {
    static let utilization = """
        Copyright 1986-2020 Xilinx, Inc. All Rights Reserved.
        ------------------------------------------------------------------------------------------------
        | Tool Version : Vivado v.2020.1 (lin64) Build 2902540 Wed May 27 19:54:35 MDT 2020
        | Design       : digits_lut
        | Device       : xcvu9pflgb2104-2
        | Design State : Routed
        ------------------------------------------------------------------------------------------------

        1. CLB Logic
        ------------

        +----------------------------+------+-------+-----------+-------+
        |          Site Type         | Used | Fixed | Available | Util% |
        +----------------------------+------+-------+-----------+-------+
        | CLB LUTs                   | 4684 |     0 |   1182240 |  0.40 |
        |   LUT as Logic             | 4684 |     0 |   1182240 |  0.40 |
        |   LUT as Memory            |    0 |     0 |    591840 |  0.00 |
        | CLB Registers              |  473 |     0 |   2364480 |  0.02 |
        | F7 Muxes                   |  612 |     0 |    591120 |  0.10 |
        +----------------------------+------+-------+-----------+-------+

        """

    static func timingSummary(wns: String) -> String {
        let failing = wns.hasPrefix("-") ? 7 : 0
        return """
            | Tool Version      : Vivado v.2020.1 (lin64) Build 2902540 Wed May 27 19:54:35 MDT 2020
            | Design            : digits_lut
            ------------------------------------------------------------------------------------------------
            | Design Timing Summary
            | ---------------------
            ------------------------------------------------------------------------------------------------

                WNS(ns)      TNS(ns)  TNS Failing Endpoints  TNS Total Endpoints      WHS(ns)      THS(ns)  THS Failing\
             Endpoints  THS Total Endpoints
                -------      -------  ---------------------  -------------------      -------      ------- \
             ---------------------  -------------------
                 \(wns)       -1.000                      \(failing)                  946        0.051        0.000            \
                      0                  946

            \(failing == 0 ? "All user specified timing constraints are met." : "Timing constraints are not met.")

            ------------------------------------------------------------------------------------------------
            | Clock Summary
            | -------------
            ------------------------------------------------------------------------------------------------

            Clock  Waveform(ns)         Period(ns)      Frequency(MHz)
            -----  ------------         ----------      --------------
            clk    {0.000 1.000}        2.000           500.000

            """
    }
}
