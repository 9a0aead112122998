import Datasets
import Testing
@testable import NeuraLUT

/// `LUTNetwork.mismatches(against:data:)`: tables checked against the
/// quantized network they must come from, partition by partition.
@Suite struct TableCheckTests {
    static func trained() throws -> (TrainedNetwork, Dataset) {
        let data = Fixtures.blobs()
        let net = try Trainer(spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32), data: data).run().network
        return (net, data)
    }

    /// The address `row` looks up in partition `id` of layer 0.
    static func layer0Address(_ lut: LUTNetwork, _ data: Dataset, row: Int, partition: Int) -> Int {
        let codes = lut.encoder.encode(data.row(row))
        return lut.connectivity.inputs[0][partition].reduce(0) { $0 << lut.spec.inputBits | Int(codes[$1]) }
    }

    @Test func tablesTabulatedFromTheNetworkAgreeOnEveryRow() throws {
        let (net, data) = try Self.trained()
        #expect(try tabulate(net).mismatches(against: net, data: data) == [])
        let layers = QuantizedNetwork(net).layerCodes(data)
        #expect(layers.map(\.count) == net.spec.layers.map { $0.partitions * data.rows })
        #expect(layers.last == QuantizedNetwork(net).outputCodes(data))
    }

    /// One wrong entry: exactly the rows that look it up disagree, each naming that partition and entry.
    @Test func aWrongEntryIsFoundOnTheRowsThatLookItUp() throws {
        let (net, data) = try Self.trained()
        var lut = tabulate(net)
        let address = Self.layer0Address(lut, data, row: 7, partition: 1)
        let right = lut.tables[0][1].codes[address]
        lut.tables[0][1].codes[address] = right ^ 1
        let mismatches = try lut.mismatches(against: net, data: data)
        let reaching = (0..<data.rows).filter { Self.layer0Address(lut, data, row: $0, partition: 1) == address }
        #expect(mismatches.map(\.row) == reaching && reaching.contains(7))
        for mismatch in mismatches {
            #expect(mismatch.partition == PartitionID(layer: 0, index: 1) && mismatch.address == address)
            #expect(mismatch.tableCode == right ^ 1 && mismatch.networkCode == right)
        }
        let predicted = QuantizedNetwork(net).predictions(data)
        let fromTables = try lut.classify(dataset: data)
        #expect(mismatches.allSatisfy { $0.networkClass == predicted[$0.row] && $0.tableClass == fromTables[$0.row] })
    }

    /// Tables of other weights under the same quantizers (a stale table): most rows disagree.
    @Test func tablesOfOtherWeightsDisagree() throws {
        let (net, data) = try Self.trained()
        var other = net
        other.partitions = TrainedNetwork.initial(spec: net.spec).partitions
        let mismatches = try tabulate(other).mismatches(against: net, data: data)
        #expect(mismatches.count > data.rows / 2)
        let differentClass = try #require(mismatches.first { $0.tableClass != $0.networkClass })
        #expect(
            differentClass.description.hasPrefix(
                "row \(differentClass.row): the tables give class \(differentClass.tableClass), "
                    + "the quantized network \(differentClass.networkClass) (first difference: layer"))
        if let sameClass = mismatches.first(where: { $0.tableClass == $0.networkClass }) {
            #expect(sameClass.description.hasPrefix("row \(sameClass.row): both give class \(sameClass.tableClass) (first difference: "))
        }
    }

    @Test func otherWiringOrInputQuantizerIsRefusedBeforeComparing() throws {
        let (net, data) = try Self.trained()
        var rewired = tabulate(net)
        rewired.connectivity.inputs[0][0].swapAt(0, 1)
        #expect(throws: LUTInferenceError("the tables' wiring differs from the trained network's")) {
            try rewired.mismatches(against: net, data: data)
        }
        var requantized = tabulate(net)
        requantized.encoder.offset[0] += 0.5
        #expect(throws: LUTInferenceError("the tables' input encoder differs from the trained network's input quantizer")) {
            try requantized.mismatches(against: net, data: data)
        }
    }
}
