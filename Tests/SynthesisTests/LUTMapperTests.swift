import Foundation
import NeuraLUT
@testable import Synthesis
import Testing

@Suite(.serialized) struct LUTMapperTests {
    @Test(arguments: [(8, 2, UInt64(1)), (10, 3, UInt64(2)), (4, 1, UInt64(3)), (12, 2, UInt64(4))])
    func randomTablesMapBitExactIntoLUT6(addressBits: Int, outputBits: Int, seed: UInt64) throws {
        let table = Tables.random(addressBits: addressBits, outputBits: outputBits, seed: seed)
        let netlist = try LUTMapper().map(table).netlist
        for address in table.codes.indices { #expect(netlist.evaluate(address: address) == table.codes[address]) }
        #expect(netlist.luts.allSatisfy { (1...6).contains($0.inputs.count) })
        let statistics = netlist.statistics
        #expect(statistics.luts == netlist.luts.count && statistics.luts > 0)
        #expect(statistics.levels >= 1)
    }

    @Test func structuredTableNeedsFewLUTs() throws {
        let table = Tables.weightedSum(inputs: 6, weights: [3, -2, 1, 2, -1, 1], outputBits: 2)
        let structured = try LUTMapper().map(table).netlist.statistics.luts
        let random = try LUTMapper().map(Tables.random(addressBits: 12, outputBits: 2, seed: 9)).netlist.statistics.luts
        #expect(structured < random / 2, "structured \(structured) LUTs, random \(random)")
    }

    @Test func moreEffortIsAlsoExactAndNoLarger() throws {
        let table = Tables.random(addressBits: 10, outputBits: 2, seed: 12)
        let luts = try MapperSettings.Effort.allCases.map { effort in
            let netlist = try LUTMapper(settings: MapperSettings(effort: effort)).map(table).netlist
            try netlist.check(against: table)
            return netlist.statistics.luts
        }
        #expect(luts[1] <= luts[0] && luts[2] <= luts[1], "\(luts)")
    }

    /// The in-process check catches a single wrong INIT bit.
    @Test func checkFailsOnAFlippedInitBit() throws {
        let table = Tables.random(addressBits: 8, outputBits: 2, seed: 5)
        let netlist = try LUTMapper().map(table).netlist
        try netlist.check(against: table)
        // Flip the bit that the LUT driving output 0 reads at address 37: observable there.
        guard case .lut(let driver) = netlist.outputs[0] else {
            Issue.record("output 0 is not a LUT")
            return
        }
        var corrupted = netlist
        corrupted.luts[driver].initBits ^= 1 << UInt64(netlist.initIndex(ofLUT: driver, address: 37))
        #expect(throws: SynthesisError.self) { try corrupted.check(against: table) }
    }

    @Test func careSetLeavesOtherAddressesFree() throws {
        let table = Tables.random(addressBits: 10, outputBits: 2, seed: 6)
        var rng = SeededRandom(seed: 8)
        let cared = (0..<1024).filter { _ in rng.nextInt(below: 10) == 0 }
        let care = CareSet(addressBits: 10, addresses: cared)
        #expect(care.count == cared.count)
        let exact = try LUTMapper().map(table).netlist
        let filled = try LUTMapper().map(table, care: care).netlist
        try filled.check(against: table, care: care)
        #expect(
            filled.statistics.luts < exact.statistics.luts / 2,
            "\(filled.statistics.luts) LUTs with don't-cares, \(exact.statistics.luts) exact")
        // Off the care set the filled netlist is free to differ, and does.
        #expect(throws: SynthesisError.self) { try filled.check(against: table) }
    }

    @Test func emptyAndFullCareSets() throws {
        let table = Tables.random(addressBits: 6, outputBits: 2, seed: 7)
        let none = try LUTMapper().map(table, care: CareSet(addressBits: 6, addresses: [])).netlist
        #expect(none.luts.isEmpty && none.outputs == [.constant(false), .constant(false)])
        let full = try LUTMapper().map(table, care: CareSet(addressBits: 6, addresses: 0..<64)).netlist
        #expect(full == (try LUTMapper().map(table).netlist))
    }

    @Test func constantOutputBitsNeedNoLogic() throws {
        // Bit 1 is always 1, bit 2 always 0; bits 0 and 3 vary (an odd group for ABC).
        let random = Tables.random(addressBits: 8, outputBits: 2, seed: 10)
        let codes = random.codes.map { ($0 & 1) | 0b10 | ($0 & 2) << 2 }
        let table = TruthTable(addressBits: 8, outputBits: 4, codes: codes)
        let netlist = try LUTMapper().map(table).netlist
        #expect(netlist.outputs[1] == .constant(true) && netlist.outputs[2] == .constant(false))
        try netlist.check(against: table)
        let constant = TruthTable(addressBits: 3, outputBits: 2, codes: Array(repeating: 2, count: 8))
        #expect(try LUTMapper().map(constant).netlist.outputs == [.constant(false), .constant(true)])
    }

    @Test func carePatternsAreInputMajorWords() {
        // Addresses 1 and 2 of a 2-bit table: input 0 is set in pattern 0, input 1 in pattern 1;
        // padding repeats address 1 (input 0 set) in patterns 2…63.
        let data = LUTMapper.carePatterns(CareSet(addressBits: 2, addresses: [1, 2]))
        let words = data.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        #expect(words == [~UInt64(0b10), 0b10])
    }

    @Test func mapsAllTablesOfANetworkInOrder() throws {
        let network = LUTNetwork.random(
            spec: NetworkSpec(
                inputFeatures: 6, inputBits: 2, classes: 3,
                layers: [
                    LayerSpec(partitions: 4, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
                    LayerSpec(partitions: 3, fanIn: 2, outputBits: 2, shape: .neuraLUT(width: 4)),
                ],
                seed: 1), seed: 2)
        let netlists = try LUTMapper().map(network: network)
        #expect(netlists.map(\.count) == [4, 3])
        for (layer, tables) in network.tables.enumerated() {
            for (index, table) in tables.enumerated() { try netlists[layer][index].check(against: table) }
        }
    }

    @Test func missingABCIsAClearError() throws {
        let error = #expect(throws: SynthesisError.self) { try LUTMapper.abcExecutable(searchPath: "/nonexistent") }
        #expect(error?.description.contains("yosys-abc") == true)
    }
}
