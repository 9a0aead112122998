import Datasets
import NeuraLUT
import RTL
import Testing

@Suite struct LUTInferenceTests {
    /// 3 inputs of 2 bits; layer 0: two partitions reading (0, 2) and (1, 2);
    /// layer 1: two output partitions reading (0, 1) and (1, 0)... each with a
    /// table chosen so the outputs can be computed by hand.
    static let handNetwork: LUTNetwork = {
        let spec = NetworkSpec(
            inputFeatures: 3, inputBits: 2, classes: 2,
            layers: [
                LayerSpec(partitions: 2, fanIn: 2, outputBits: 2, shape: .neuraLUT(width: 2)),
                LayerSpec(partitions: 2, fanIn: 2, outputBits: 3, shape: .neuraLUT(width: 2)),
            ],
            seed: 1)
        // Layer 0, p0: address = in0 << 2 | in2 → (in0 + in2) & 3. p1: address = in1 << 2 | in2 → in1 ^ in2.
        let sum = (0..<16).map { UInt16((($0 >> 2) + ($0 & 3)) & 3) }
        let xor = (0..<16).map { UInt16(($0 >> 2) ^ ($0 & 3)) }
        // Layer 1, q0: address = h0 << 2 | h1 → the address itself mod 8. q1: 7 - (address mod 8).
        let identity = (0..<16).map { UInt16($0 & 7) }
        let complement = (0..<16).map { UInt16(7 - ($0 & 7)) }
        return LUTNetwork(
            spec: spec,
            connectivity: Connectivity(inputs: [[[0, 2], [1, 2]], [[0, 1], [0, 1]]]),
            tables: [
                [TruthTable(addressBits: 4, outputBits: 2, codes: sum), TruthTable(addressBits: 4, outputBits: 2, codes: xor)],
                [TruthTable(addressBits: 4, outputBits: 3, codes: identity), TruthTable(addressBits: 4, outputBits: 3, codes: complement)],
            ],
            encoder: InputEncoder(bits: 2, scale: [1, 1, 1], offset: [0, 0, 0]))
    }()

    @Test func handComputedOutputs() throws {
        // Sample (in0, in1, in2) = (1, 3, 2): h0 = 3, h1 = 1; address 13 → q0 = 5, q1 = 2 → class 0.
        // Sample (0, 0, 1): h0 = 1, h1 = 1; address 5 → q0 = 5, q1 = 2 → class 0.
        // Sample (0, 2, 0): h0 = 0, h1 = 2; address 2 → q0 = 2, q1 = 5 → class 1.
        // Sample (2, 0, 2): h0 = 0, h1 = 2 → class 1; (0, 3, 1): h0 = 1, h1 = 2; address 6 → q0 = 6, q1 = 1 → class 0.
        let codes: [UInt16] = [1, 3, 2, 0, 0, 1, 0, 2, 0, 2, 0, 2, 0, 3, 1]
        let network = Self.handNetwork
        #expect(try network.infer(codes: codes, count: 5) == [5, 2, 5, 2, 2, 5, 2, 5, 6, 1])
        #expect(try network.classify(codes: codes, count: 5) == [0, 0, 1, 1, 0])
    }

    @Test func argmaxTiesGoToLowestIndex() {
        #expect(ClassScores.classes([3, 7, 7, 1, 0, 0, 0, 0], classes: 4, partitionsPerClass: 1) == [1, 0])
    }

    @Test func datasetPathEncodesWithTheEncoder() throws {
        let network = Self.handNetwork
        // Raw features rounded half to even, clamped to [-2, 1], then offset by 2.
        let data = Dataset(
            features: [-1.4, 0.6, 0.2, -2, -2, -1], labels: [0, 1], rows: 2, columns: 3, classes: 2, featureNames: ["a", "b", "c"])
        #expect(try network.encode(dataset: data) == [1, 3, 2, 0, 0, 1])
        #expect(try network.classify(dataset: data) == [0, 0])
        #expect(try network.accuracy(dataset: data) == 0.5)
    }

    @Test func manySamplesAcrossCoresMatchOneByOne() throws {
        let network = Fixtures.small
        let count = 10_000
        let codes = Fixtures.codes(for: network, count: count)
        let batch = try network.infer(codes: codes, count: count)
        let width = network.spec.layers.last!.partitions
        for sample in stride(from: 0, to: count, by: 997) {
            let one = try network.infer(codes: Array(codes[sample * 6..<sample * 6 + 6]), count: 1)
            #expect(Array(batch[sample * width..<(sample + 1) * width]) == one)
        }
    }

    @Test func badInputIsAnErrorNotACrash() {
        let network = Self.handNetwork
        #expect(throws: LUTInferenceError.self) { try network.infer(codes: [0, 1], count: 1) }
        #expect(throws: LUTInferenceError.self) { try network.infer(codes: [0, 4, 1], count: 1) }
        var broken = network
        broken.connectivity.inputs[1][0] = [0, 5]
        #expect(throws: LUTInferenceError.self) { try broken.infer(codes: [0, 1, 1], count: 1) }
    }
}
