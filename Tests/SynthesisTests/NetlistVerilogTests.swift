import Foundation
import Subprocess
import NeuraLUT
import RTL
@testable import Synthesis
import Testing

@Suite(.serialized) struct NetlistVerilogTests {
    static let table = Tables.weightedSum(inputs: 5, weights: [3, -2, 1, 2, -1], outputBits: 2)

    /// Every address through the emitted module in iverilog, both LUT forms.
    @Test(arguments: LUTPrimitives.allCases)
    func moduleMatchesTheTableInSimulation(primitives: LUTPrimitives) throws {
        let netlist = try LUTMapper().map(Self.table).netlist
        let verilog = NetlistVerilog.partitionModule(name: "part", netlist: netlist, primitives: primitives)
        #expect(try Self.simulatedMismatches(verilog, table: Self.table, primitives: primitives) == 0)
    }

    /// The simulation check fails on one flipped INIT bit of the emitted Verilog.
    @Test func simulationCatchesAFlippedInitBit() throws {
        var netlist = try LUTMapper().map(Self.table).netlist
        guard case .lut(let driver) = netlist.outputs[1] else {
            Issue.record("output 1 is not a LUT")
            return
        }
        netlist.luts[driver].initBits ^= 1 << UInt64(netlist.initIndex(ofLUT: driver, address: 100))
        let verilog = NetlistVerilog.partitionModule(name: "part", netlist: netlist)
        #expect(try Self.simulatedMismatches(verilog, table: Self.table, primitives: .portable) > 0)
    }

    @Test(arguments: LUTPrimitives.allCases)
    func lintCleanUnderVerilatorWallAndIverilog(primitives: LUTPrimitives) throws {
        // Address bit 2 is ignored by this table: the unused-input path is linted too.
        let codes = Self.table.codes.indices.map { Self.table.codes[$0 & ~0b100] }
        let table = TruthTable(addressBits: Self.table.addressBits, outputBits: 2, codes: codes)
        let netlist = try LUTMapper().map(table).netlist
        let directory = try Tables.temporaryDirectory("lint")
        defer { try? FileManager.default.removeItem(at: directory) }
        var files = [directory.appendingPathComponent("part.v").path]
        try Data(NetlistVerilog.partitionModule(name: "part", netlist: netlist, primitives: primitives).utf8).write(
            to: URL(fileURLWithPath: files[0]))
        if primitives == .xilinx {
            let models = directory.appendingPathComponent(NetlistVerilog.xilinxCellModelsPath)
            try Data(NetlistVerilog.xilinxCellModels.contents.utf8).write(to: models)
            files.append(models.path)
        }
        let verilator = try ExternalTool.run(
            try #require(ExternalTool.find("verilator")),
            ["--lint-only", "-Wall", "--top-module", "part"] + files, in: directory, timeout: 120)
        #expect(verilator.status == 0 && verilator.output.isEmpty, "\(verilator.output)")
        let iverilog = try ExternalTool.run(
            try #require(ExternalTool.find("iverilog")),
            ["-g2005", "-Wall", "-o", "/dev/null", "-s", "part"] + files, in: directory, timeout: 120)
        #expect(iverilog.status == 0 && iverilog.output.isEmpty, "\(iverilog.output)")
    }

    /// A whole mapped design passes the self-checking testbench in both forms.
    @Test(arguments: LUTPrimitives.allCases)
    func mappedDesignVerifiesWithZeroMismatches(primitives: LUTPrimitives) throws {
        let network = Self.smallNetwork
        let netlists = try LUTMapper().map(network: network)
        let design = try VerilogEmitter.design(
            network: network, netlists: netlists, primitives: primitives,
            options: RTLOptions(topName: "mapped_net"))
        #expect(design.simulationModels.count == (primitives == .xilinx ? 1 : 0))
        var rng = SeededRandom(seed: 4)
        let count = 500
        let codes = (0..<(count * network.spec.inputFeatures)).map { _ in UInt16(rng.nextInt(below: 4)) }
        let vectors = try TestVectors(network: network, codes: codes, count: count)
        let directory = try Tables.temporaryDirectory("verify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier(simulator: .iverilog, timeout: 300).verify(
            design: design, network: network, vectors: vectors, in: directory)
        #expect(report.samples == count && report.mismatches == 0, "\(report.summary)")
    }

    /// yosys' Xilinx flow keeps a netlist of UNISIM LUTs as it is (the same
    /// LUT count) and re-synthesises the portable form to at most 1.25× the
    /// mapped LUTs (docs/hardware.md, "How a mapped partition is written").
    @Test(arguments: LUTPrimitives.allCases)
    func yosysCountsTheMappedLUTs(primitives: LUTPrimitives) throws {
        let network = Self.smallNetwork
        let netlists = try LUTMapper().map(network: network)
        let design = try VerilogEmitter.design(
            network: network, netlists: netlists, primitives: primitives,
            options: RTLOptions(topName: "mapped_net", registers: .none, argmax: false))
        let directory = try Tables.temporaryDirectory("yosys")
        defer { try? FileManager.default.removeItem(at: directory) }
        let estimate = try Estimator(timeout: 300).estimate(design: design, in: directory)
        let mapped = netlists.joined().map(\.statistics.luts).reduce(0, +)
        switch primitives {
        case .xilinx: #expect(estimate.luts == mapped)
        case .portable: #expect(estimate.luts * 4 <= mapped * 5, "yosys \(estimate.luts) LUTs, mapped \(mapped)")
        }
    }

    static let smallNetwork = LUTNetwork.random(
        spec: NetworkSpec(
            inputFeatures: 8, inputBits: 2, classes: 3,
            layers: [
                LayerSpec(partitions: 6, fanIn: 4, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 3, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
            ],
            seed: 3), seed: 5)

    /// Drives every address of module `part` in iverilog and counts outputs
    /// that differ from `table`.
    static func simulatedMismatches(_ verilog: String, table: TruthTable, primitives: LUTPrimitives) throws -> Int {
        let directory = try Tables.temporaryDirectory("sim")
        defer { try? FileManager.default.removeItem(at: directory) }
        let k = table.addressBits, b = table.outputBits
        let bench = """
            `timescale 1ns/1ps
            module tb;
                reg [\(k - 1):0] addr;
                wire [\(b - 1):0] data;
                reg [\(b - 1):0] expected [0:\((1 << k) - 1)];
                integer i, mismatches;
                part dut (.addr(addr), .data(data));
                initial begin
                    $readmemh("expected.hex", expected);
                    mismatches = 0;
                    for (i = 0; i < \(1 << k); i = i + 1) begin
                        addr = i;
                        #1;
                        if (data !== expected[i]) mismatches = mismatches + 1;
                    end
                    $display("MISMATCHES %0d", mismatches);
                    $finish;
                end
            endmodule

            """
        try Data(bench.utf8).write(to: directory.appendingPathComponent("tb.v"))
        try Data(verilog.utf8).write(to: directory.appendingPathComponent("part.v"))
        try Data(table.codes.map { String($0, radix: 16) }.joined(separator: "\n").utf8).write(
            to: directory.appendingPathComponent("expected.hex"))
        var sources = ["tb.v", "part.v"]
        if primitives == .xilinx {
            try Data(NetlistVerilog.xilinxCellModels.contents.utf8).write(to: directory.appendingPathComponent("cells.v"))
            sources.append("cells.v")
        }
        let compile = try ExternalTool.run(
            try #require(ExternalTool.find("iverilog")), ["-g2005", "-o", "tb.vvp", "-s", "tb"] + sources,
            in: directory, timeout: 120)
        try #require(compile.status == 0, "\(compile.output)")
        let run = try ExternalTool.run(try #require(ExternalTool.find("vvp")), ["-n", "tb.vvp"], in: directory, timeout: 120)
        let line = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("MISMATCHES") })
        return try #require(Int(line.split(separator: " ")[1]))
    }
}
