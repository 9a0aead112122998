import Testing
@testable import NeuraLUT

@Suite struct FormatTests {
    @Test func partitionWeightsRoundTripAndRejectBadBytes() throws {
        let w = PartitionWeights.initial(fanIn: 3, shape: .neuraLUT(width: 4), seed: 1, layer: 2, partition: 5)
        let bytes = w.encoded()
        #expect(bytes.count == 4 + 6 * 4 + w.parameters.count * 4 + 8)
        #expect(try PartitionWeights(decoding: bytes) == w)
        #expect(throws: FormatError.self) { try PartitionWeights(decoding: Array(bytes.dropLast())) }
        var wrongMagic = bytes
        wrongMagic[0] = 0x41
        #expect(throws: FormatError.self) { try PartitionWeights(decoding: wrongMagic) }
    }

    @Test func quantizerParametersRoundTrip() throws {
        let q = TrainedNetwork.initial(spec: NetworkSpec.reference("jsc-2l")!).quantizers
        #expect(try QuantizerParameters(decoding: q.encoded()) == q)
        #expect(throws: FormatError.self) { try QuantizerParameters(decoding: [1, 2, 3]) }
    }

    @Test func referenceSpecsAreValid() throws {
        for name in NetworkSpec.referenceNames { try NetworkSpec.reference(name)!.validate() }
        let jsc5 = NetworkSpec.reference("jsc-5l")!
        #expect(jsc5.layers.map(\.partitions) == [128, 128, 128, 64, 5])
        #expect(jsc5.tableAddressBits(ofLayer: 0) == 14)
        #expect(NetworkSpec.reference("nope") == nil)
    }
}
