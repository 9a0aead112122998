import Foundation
import Subprocess
import NeuraLUT
@testable import RTL
import Testing

/// The AXI4-Stream top module: ports and byte layout, lint, and the
/// backpressure testbench in both simulators.
@Suite struct AXISTests {
    static let options: [RTLOptions] = [
        RTLOptions(topName: "axis_net", interface: .axis(userBits: 0)),
        RTLOptions(topName: "axis_user", registers: .everyKLayers(2), argmax: false, interface: .axis(userBits: 5)),
        RTLOptions(topName: "axis_comb", registers: .none, interface: .axis(userBits: 0)),
    ]

    @Test func widthsAreWholeBytesAndFieldsStartOnBytes() throws {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: Self.options[0])
        let layout = try #require(design.axis)
        // 6 codes of 2 bits = 12 bits → 2 bytes; 3 codes of 3 bits = 9 bits → 2 bytes, then the class in byte 2.
        #expect(layout.slaveBytes == 2 && layout.masterBytes == 3)
        #expect(layout.codes.byteOffset == 0 && layout.outClass?.byteOffset == 2 && layout.outClass?.bits == 2)
        #expect(
            design.ports.map(\.name) == [
                "aclk", "aresetn", "s_axis_tvalid", "s_axis_tready", "s_axis_tdata", "s_axis_tlast",
                "m_axis_tvalid", "m_axis_tready", "m_axis_tdata", "m_axis_tlast",
            ])
        #expect(design.ports.first { $0.name == "s_axis_tdata" }?.width == 16)
        #expect(design.ports.first { $0.name == "m_axis_tdata" }?.width == 24)
        let top = try #require(design.files.last?.contents)
        #expect(top.contains("//   bytes 0-1, bits [8:0]: codes:"))
        #expect(top.contains("//   byte 2, bits [17:16]: class:"))
        #expect(top.contains("assign m_axis_tdata = {6'd0, out_class, 7'd0, out_data};"))
        let user = try VerilogEmitter.design(network: Fixtures.small, options: Self.options[1])
        #expect(user.ports.contains { $0.name == "m_axis_tuser" && $0.width == 5 })
        #expect(user.axis?.masterBytes == 2)
    }

    @Test func rawInterfaceIsUnchanged() throws {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(topName: "tiny_net"))
        #expect(design.axis == nil)
        #expect(!(design.files.last?.contents.contains("axis") ?? true))
    }

    @Test(arguments: [0, 1, 2])
    func lintCleanUnderVerilatorWallAndIverilog(optionIndex: Int) throws {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: Self.options[optionIndex])
        for result in try Fixtures.lint(design, label: "axis-lint") {
            #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
        }
    }

    /// Every sample out once, in order, equal to software LUT inference, with
    /// its tlast (and tuser), under the seeded backpressure patterns; the first
    /// sample after exactly the latency, and no gap while both sides are ready.
    @Test(arguments: [Simulator.verilator, .iverilog])
    func backpressureKeepsEverySampleOnceAndInOrder(simulator: Simulator) throws {
        let vectors = try VerifierTests.vectors()
        for options in Self.options {
            let design = try VerilogEmitter.design(network: Fixtures.small, options: options)
            let directory = try Fixtures.temporaryDirectory("axis-verify")
            defer { try? FileManager.default.removeItem(at: directory) }
            let report = try Verifier(simulator: simulator).verify(design: design, network: Fixtures.small, vectors: vectors, in: directory)
            #expect(report.mismatches == 0, "\(options.topName): \(report.summary)")
            #expect(report.samples == VerifierTests.samples)
            #expect(report.accuracy == vectors.softwareAccuracy)
            // Random stalls: well below one sample per clock, and the patterns with no stall keep it above a fifth.
            #expect(
                report.cycles > VerifierTests.samples + design.latency && report.cycles < 5 * VerifierTests.samples, "\(report.summary)")
        }
    }

    /// A register stage that ignores the stall (loads while the pipeline is
    /// held) loses samples and repeats others: the testbench must fail.
    @Test(arguments: [Simulator.verilator, .iverilog])
    func brokenHoldLogicIsCaught(simulator: Simulator) throws {
        let vectors = try VerifierTests.vectors()
        var design = try VerilogEmitter.design(network: Fixtures.small, options: Self.options[0])
        let top = design.files.count - 1
        let broken = design.files[top].contents.replacingOccurrences(
            of: """
                        if (advance) begin
                            l1_data <= l0_out;
                """,
            with: """
                        if (1'b1) begin
                            l1_data <= l0_out;
                """)
        #expect(broken != design.files[top].contents)
        design.files[top].contents = broken
        let directory = try Fixtures.temporaryDirectory("axis-broken")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier(simulator: simulator).verify(design: design, network: Fixtures.small, vectors: vectors, in: directory)
        #expect(report.mismatches > 0, "\(report.summary)")
    }

    @Test func testbenchIsDeterministicAndDocumentsItsPatterns() throws {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: Self.options[0])
        let vectors = try VerifierTests.vectors()
        let a = Testbench.files(design: design, network: Fixtures.small, vectors: vectors)
        let b = Testbench.files(design: design, network: Fixtures.small, vectors: vectors)
        #expect(a == b)
        let bench = a[0].contents
        #expect(bench.contains("tready toggling every cycle") && bench.contains("32'h2545f491"))
    }
}
