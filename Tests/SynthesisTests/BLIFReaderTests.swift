import NeuraLUT
@testable import Synthesis
import Testing

@Suite struct BLIFReaderTests {
    /// On-set and off-set covers, a buffer, a constant, a continuation line
    /// and an ignored input all read into the smallest netlist.
    @Test func readsCoversBuffersAndConstants() throws {
        let text = """
            # written by hand
            .model t
            .inputs a b c \\
                d
            .outputs F0 F1 F2 F3
            .names a b x
            11 1
            .names x c y
            1- 0
            -1 0
            .names y F0
            1 1
            .names F1
            1
            .names d F2
            0 1
            .names a d F3
            1- 1
            .end
            """
        let netlist = try BLIFReader.netlist(text)
        #expect(netlist.inputCount == 4)
        // x = a&b, y = !(x | c), F0 = y (buffer), F1 = 1, F2 = !d, F3 = a (d is ignored).
        #expect(netlist.luts.count == 3)
        #expect(netlist.outputs[1] == .constant(true))
        #expect(netlist.outputs[3] == .input(0))
        for address in 0..<16 {
            let a = address & 1, b = (address >> 1) & 1, c = (address >> 2) & 1, d = (address >> 3) & 1
            let y = (a & b) | c == 0 ? 1 : 0
            let expected = y | 1 << 1 | (1 - d) << 2 | a << 3
            #expect(netlist.evaluate(address: address) == UInt16(expected))
        }
        #expect(netlist.statistics.lutsBySize[2] == 2 && netlist.statistics.lutsBySize[1] == 1)
        #expect(netlist.statistics.levels == 2)
    }

    @Test func rejectsWhatIsNotLUTLogic() {
        #expect(throws: SynthesisError.self) { try BLIFReader.netlist(".inputs a\n.outputs F\n.latch a F 0\n") }
        #expect(throws: SynthesisError.self) {
            try BLIFReader.netlist(".inputs a b c d e f g\n.outputs F\n.names a b c d e f g F\n1111111 1\n")
        }
        #expect(throws: SynthesisError.self) { try BLIFReader.netlist(".inputs a\n.outputs F\n.names a G F\n11 1\n") }
        #expect(throws: SynthesisError.self) { try BLIFReader.netlist(".inputs a\n.outputs F\n.names a F\n1 1\n0 0\n") }
    }

    @Test func cofactorAndDependence() {
        // f(I0, I1, I2) = I0 ^ I2: INIT over (I2 I1 I0) = 0b0101_1010.
        let xor02: UInt64 = 0b0101_1010
        #expect(!LUTFunction.depends(xor02, inputs: 3, on: 1))
        #expect(LUTFunction.depends(xor02, inputs: 3, on: 0) && LUTFunction.depends(xor02, inputs: 3, on: 2))
        // Without I1 it is a 2-input XOR (0b0110).
        #expect(LUTFunction.cofactor(xor02, inputs: 3, pin: 1, value: false) == 0b0110)
        // I2 = 1: f = !I0 over (I1 I0) = 0b0101.
        #expect(LUTFunction.cofactor(xor02, inputs: 3, pin: 2, value: true) == 0b0101)
    }
}
