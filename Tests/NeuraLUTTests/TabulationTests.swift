import Datasets
import Testing
@testable import NeuraLUT

@Suite struct TabulationTests {
    /// One linear partition y = x0 + 2·x1 + 0.25 on 2-bit signed inputs
    /// (scale 0.5: values −1, −0.5, 0, 0.5) and a 2-bit unsigned output (scale 0.5).
    static func handBuilt() -> TrainedNetwork {
        let spec = NetworkSpec(
            inputFeatures: 2, inputBits: 2, classes: 2,
            layers: [
                LayerSpec(partitions: 2, fanIn: 2, outputBits: 2, shape: PartitionShape(width: 1, depth: 1, skip: 0)),
                LayerSpec(partitions: 2, fanIn: 2, outputBits: 3, shape: PartitionShape(width: 1, depth: 1, skip: 0)),
            ], seed: 1)
        var net = TrainedNetwork.initial(spec: spec)
        let gammaForUnitFold = (1 + Quantization.epsilon).squareRoot()
        net.partitions[0][0] = PartitionWeights(
            fanIn: 2, shape: spec.layers[0].shape, parameters: [1, 2, 0.25, gammaForUnitFold, 0],
            runningMean: 0, runningVariance: 1)
        net.quantizers.inputFrontEnd.scale = 0.5
        net.quantizers.outputScales[0] = 0.5
        return net
    }

    @Test func handBuiltPartitionMatchesHandComputedCodes() {
        let table = tabulate(partition: PartitionID(layer: 0, index: 0), of: Self.handBuilt())
        // address = code(input 0) << 2 | code(input 1); codes are offset binary (level + 2).
        #expect(table.addressBits == 4)
        #expect(table.codes == [0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 2, 3])
    }

    /// One partition from its weights, its layer's table spec and the
    /// quantizers alone (no network), on one thread or several.
    @Test func onePartitionFromWhatItsTableDependsOn() {
        let net = Self.handBuilt()
        let table = net.spec.tableSpec(ofLayer: 0)
        #expect(table == PartitionTableSpec(layer: 0, fanIn: 2, inputBits: 2, outputBits: 2, isLastLayer: false))
        let codes = Tabulation.tabulate(net.partitions[0][0], table, quantizers: net.quantizers, threads: 1).codes
        #expect(codes == [0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 2, 3])
        let last = net.spec.tableSpec(ofLayer: 1)
        #expect(last.inputBits == 2 && last.isLastLayer && last.addressBits == 4)
        for p in 0..<2 {
            let whole = tabulate(partition: PartitionID(layer: 1, index: p), of: net)
            #expect(Tabulation.tabulate(net.partitions[1][p], last, quantizers: net.quantizers, threads: 3) == whole)
        }
    }

    /// Evaluates a network from its tables alone, as LUT inference does.
    static func lookUp(_ lut: LUTNetwork, _ data: Dataset) -> [UInt16] {
        var out: [UInt16] = []
        for r in 0..<data.rows {
            var codes = lut.encoder.encode(data.row(r))
            for (l, layer) in lut.tables.enumerated() {
                let bits = lut.spec.inputBits(ofLayer: l)
                codes = layer.enumerated().map { p, table in
                    let address = lut.connectivity.inputs[l][p].reduce(0) { $0 << bits | Int(codes[$1]) }
                    return table.codes[address]
                }
            }
            out += codes
        }
        return out
    }

    @Test func tablesEqualTheQuantizedNetworkBitForBit() throws {
        let data = Fixtures.blobs()
        let net = try Trainer(spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32), data: data).run().network
        let lut = tabulate(net)
        #expect(Self.lookUp(lut, data) == QuantizedNetwork(net).outputCodes(data))
        #expect(lut == Tabulation.tabulate(net, threads: 1))
        let data2 = Fixtures.xor()
        let xor = try Trainer(spec: Fixtures.xorSpec(), config: Fixtures.xorConfig(epochs: 3), data: data2).run().network
        #expect(Self.lookUp(tabulate(xor), data2) == QuantizedNetwork(xor).outputCodes(data2))
    }
}
