import Foundation
import Subprocess
import NeuraLUT
@testable import RTL
import Testing

@Suite struct VerilogTests {
    static let options: [RTLOptions] = [
        RTLOptions(topName: "tiny_net", registers: .everyLayer, argmax: true),
        RTLOptions(topName: "tiny_comb", registers: .none, argmax: false),
        RTLOptions(topName: "tiny_k2", registers: .everyKLayers(2), argmax: true),
    ]

    @Test func byteIdenticalOnTwoRuns() throws {
        let a = try VerilogEmitter.design(network: Fixtures.small, options: Self.options[0])
        let b = try VerilogEmitter.design(network: LUTNetwork.random(spec: Fixtures.smallSpec, seed: 11), options: Self.options[0])
        #expect(a == b)
        #expect(a.files.count == 5 + 4 + 3 + 3 + 1)
    }

    @Test func latencyAndWidths() throws {
        let designs = try Self.options.map { try VerilogEmitter.design(network: Fixtures.small, options: $0) }
        #expect(designs.map(\.latency) == [3, 0, 2])
        #expect(designs[0].inputWidth == 12 && designs[0].outputWidth == 9 && designs[0].classWidth == 2)
        #expect(designs[1].classWidth == 0 && !designs[1].ports.contains { $0.name == "out_class" })
        #expect(designs[0].ports.map(\.name) == ["clk", "rst", "in_valid", "in_data", "out_valid", "out_data", "out_class"])
    }

    @Test func partitionModuleIsACompleteCaseROM() {
        let table = TruthTable(addressBits: 2, outputBits: 3, codes: [5, 1, 5, 7])
        let text = VerilogEmitter.partitionModule(name: "rom", table: table)
        #expect(text.contains("2'h1: data = 3'h1;"))
        #expect(text.contains("2'h3: data = 3'h7;"))
        #expect(text.contains("default: data = 3'h5;"))
        #expect(!text.contains("2'h0:"))
    }

    @Test(arguments: [0, 1, 2])
    func lintCleanUnderVerilatorWallAndIverilog(optionIndex: Int) throws {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: Self.options[optionIndex])
        for result in try Fixtures.lint(design, label: "lint") {
            #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
        }
    }

    @Test func badOptionsAreErrors() {
        #expect(throws: RTLError.self) { try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(topName: "9bad")) }
        #expect(throws: RTLError.self) { try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(topName: "small")) }
        #expect(throws: RTLError.self) {
            try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(registers: .everyKLayers(0)))
        }
    }
}

/// The top module's header says what the registers really do.
@Suite struct TopModuleHeaderTests {
    func header(_ options: RTLOptions) throws -> String {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: options)
        return try #require(design.files.first { $0.path == "\(options.topName).v" }).contents
    }

    @Test func combinationalDesignSaysClockAndResetAreUnused() throws {
        let text = try header(VerilogTests.options[1])
        #expect(!text.contains("rst clears"))
        #expect(!text.contains("clears the valid pipeline"))
        #expect(text.contains("input  rst: unused (no registers)"))
        #expect(text.contains("out_valid is in_valid (no latency); clk and rst are unused."))
    }

    @Test func everyKthLayerIsSpelledAsAnOrdinal() throws {
        #expect(try header(VerilogTests.options[2]).contains("every 2nd layer"))
        #expect(
            [1, 2, 3, 4, 11, 12, 13, 21, 22, 103, 111].map(VerilogEmitter.ordinal)
                == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "103rd", "111th"])
    }
}
