import Foundation
import TestSupport
import Testing
@testable import Packaging

@Suite("Vivado report parser")
struct VivadoReportsTests {
    private func directory(_ reports: [String: String]) throws -> URL {
        let url = try Sandbox("vivado-reports").url
        for (name, content) in reports {
            try content.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    private let metTiming = VivadoReportFixtures.timingSummary(
        wns: "0.412", tns: "0.000", failing: 0, period: "2.000", frequency: "500.000", met: true)

    @Test func readsUtilizationTimingAndHierarchy() throws {
        let dir = try directory([
            "utilization.rpt": VivadoReportFixtures.utilization2020,
            "timing_summary.rpt": metTiming,
            "utilization_hierarchical.rpt": VivadoReportFixtures.hierarchical,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = try VivadoReports.parse(directory: dir)
        #expect(reports.design == "digits_lut")
        #expect(reports.device == "xcvu9pflgb2104-2")
        #expect(reports.toolVersion?.hasPrefix("Vivado v.2020.1") == true)
        #expect(
            reports.utilization
                == Utilization(
                    luts: 4684, lutsAsLogic: 4684, lutsAsMemory: 0, registers: 473, carryChains: 0,
                    f7Muxes: 612, f8Muxes: 154, blockRAMTiles: 0, dsps: 0, designState: "Routed"))
        #expect(reports.timing.wnsNs == 0.412)
        #expect(reports.timing.whsNs == 0.051)
        #expect(reports.timing.clockName == "clk")
        #expect(reports.timing.clockPeriodNs == 2.0)
        #expect(reports.timing.constraintsMet)
        #expect(abs(reports.timing.achievedFmaxMHz - 1000 / 1.588) < 1e-9)
        #expect(reports.timing.coverage == "every path (inputs and outputs constrained)")
        #expect(reports.hierarchy?.map(\.depth) == [0, 1, 1, 2, 1])
        #expect(reports.hierarchy?.map(\.instance) == ["digits_lut", "(digits_lut)", "layer0", "p0", "layer1"])
        #expect(
            reports.hierarchy?[2]
                == HierarchyEntry(depth: 1, instance: "layer0", module: "digits_lut_layer0", totalLUTs: 3900, flipFlops: 128))
    }

    /// Reports of a design whose I/O had no delays (as before clock.xdc set them)
    /// say the Fmax covers register-to-register paths only.
    @Test func saysWhatTheFmaxCovers() throws {
        let dir = try directory([
            "utilization.rpt": VivadoReportFixtures.utilization2020,
            "timing_summary.rpt": VivadoReportFixtures.timingSummary(
                wns: "0.412", tns: "0.000", failing: 0, period: "2.000", frequency: "500.000", met: true,
                noInputDelay: 130, noOutputDelay: 25),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let timing = try VivadoReports.parse(directory: dir).timing
        #expect(timing.inputsWithoutDelay == 130)
        #expect(timing.outputsWithoutDelay == 25)
        #expect(timing.coverage == "register-to-register paths only: 130 input(s) and 25 output(s) without delay constraints")
    }

    /// Nothing timed: Vivado prints `inf`, from which no Fmax follows.
    @Test func rejectsAnInfiniteWNS() throws {
        let dir = try directory([
            "utilization.rpt": VivadoReportFixtures.utilization2020,
            "timing_summary.rpt": VivadoReportFixtures.timingSummary(
                wns: "inf", tns: "0.000", failing: 0, period: "2.000", frequency: "500.000", met: true),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: PackagingError.self) { try VivadoReports.parse(directory: dir) }
        #expect(error?.message.contains("WNS is inf, so no path was timed") == true, "\(String(describing: error))")
    }

    @Test func failedTimingGivesFmaxBelowTheTarget() throws {
        let dir = try directory([
            "utilization.rpt": VivadoReportFixtures.utilization2023,
            "timing_summary.rpt": VivadoReportFixtures.timingSummary(
                wns: "-1.250", tns: "-310.442", failing: 412, period: "3.333", frequency: "300.030", met: false),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = try VivadoReports.parse(directory: dir)
        #expect(reports.hierarchy == nil)
        #expect(reports.timing.wnsNs == -1.25)
        #expect(reports.timing.tnsNs == -310.442)
        #expect(reports.timing.setupFailingEndpoints == 412)
        #expect(!reports.timing.constraintsMet)
        #expect(abs(reports.timing.achievedFmaxMHz - 1000 / 4.583) < 1e-9)
        #expect(reports.utilization.luts == 92357)
        #expect(reports.utilization.lutsAsMemory == 257)
        #expect(reports.utilization.blockRAMTiles == 1.5)
        #expect(reports.utilization.designState == "Routed")
        #expect(reports.device == "xcvu9p-flgb2104-2-i")
    }

    @Test func understandsSevenSeriesSliceNaming() throws {
        let utilization = try Utilization.parse(VivadoReportFixtures.utilization7Series, file: "u.rpt")
        #expect(utilization.luts == 310)
        #expect(utilization.registers == 120)
        #expect(utilization.carryChains == nil)
        #expect(utilization.designState == "Synthesized")
    }

    @Test func roundTripsThroughJSON() throws {
        let dir = try directory(["utilization.rpt": VivadoReportFixtures.utilization2020, "timing_summary.rpt": metTiming])
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = try VivadoReports.parse(directory: dir)
        let decoded = try JSONDecoder().decode(VivadoReports.self, from: JSONEncoder().encode(reports))
        #expect(decoded == reports)
    }

    @Test func namesTheMissingReport() throws {
        let dir = try directory(["utilization.rpt": VivadoReportFixtures.utilization2020])
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: PackagingError.self) { try VivadoReports.parse(directory: dir) }
        #expect(error?.message.contains("timing_summary.rpt") == true)
    }

    @Test func namesTheReportItCannotUnderstand() throws {
        let dir = try directory(["utilization.rpt": "not a report\n", "timing_summary.rpt": metTiming])
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: PackagingError.self) { try VivadoReports.parse(directory: dir) }
        #expect(error?.message.contains("utilization.rpt: no 'CLB LUTs' or 'Slice LUTs' row found") == true)

        let truncated = metTiming.components(separatedBy: "| Clock Summary")[0]
        #expect(throws: PackagingError.self) { try TimingSummary.parse(truncated, file: "t.rpt") }
        #expect(throws: PackagingError.self) { try TimingSummary.parse("WNS(ns) TNS(ns)\n----\nabc def\n", file: "t.rpt") }
        #expect(throws: PackagingError.self) { try HierarchyEntry.parse(VivadoReportFixtures.utilization2020, file: "h.rpt") }
    }
}
