import BuildGraph
import Foundation
import NeuraLUT
import ProjectFile

/// `network`: the whole LUT network (spec, wiring, every table, input
/// encoder), which the network-level RTL, testbench and checks read.
enum NetworkStep: PipelineStep {
    static let id = "network"
    static let kind = "lut-network"
    static let version = 2

    private struct Header: Codable {
        var spec: NetworkSpec
        var connectivity: Connectivity
        var encoder: InputEncoder
    }

    /// `network/exact`: the network of the exact tables, when the design's
    /// tables are filled (don't-cares); the care sets and the exact accuracy come from it.
    static let exactID = "network/exact"

    /// The network whose tables are `table(id)` for each partition.
    static func make(
        _ config: ProjectConfig, id: String = id,
        table: (PartitionID) -> StepSource<TruthTable> = OutputRefs.table
    ) throws -> Step {
        var inputs = StepInputs()
        inputs.bind(CommonInputs.summary, to: OutputRefs.summary)
        inputs.bind(CommonInputs.connectivity, to: OutputRefs.connectivity)
        inputs.bind(CommonInputs.quantizers, to: OutputRefs.quantizers)
        for partition in PipelineGraph.partitionIDs(config) {
            inputs.bind(CommonInputs.tables[TrainStep.memberName(partition)], to: table(partition))
        }
        return try step(id: id, config.model.networkShape, inputs: inputs, outputs: ["network"])
    }

    static func run(_ shape: NetworkShape, _ context: StepContext) async throws -> StepOutputs {
        let summary = try context.read(CommonInputs.summary)
        let spec = shape.spec(inputFeatures: summary.features, classes: summary.classes)
        let connectivity = try context.read(CommonInputs.connectivity)
        let quantizers = try context.read(CommonInputs.quantizers)
        let tables = try spec.layers.enumerated().map { layer, spec in
            try (0..<spec.partitions).map { index in
                try context.read(CommonInputs.tables[TrainStep.memberName(PartitionID(layer: layer, index: index))])
            }
        }
        let network = LUTNetwork(spec: spec, connectivity: connectivity, tables: tables, encoder: quantizers.inputFrontEnd.encoder)
        return ["network": try encode(network)]
    }

    /// A length-prefixed JSON header, then every table in layer order.
    static func encode(_ network: LUTNetwork) throws -> Data {
        let header = try StepCodecs.json(Header(spec: network.spec, connectivity: network.connectivity, encoder: network.encoder))
        var data = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(header)
        for layer in network.tables {
            for table in layer {
                let encoded = StepCodecs.encode(table)
                withUnsafeBytes(of: UInt64(encoded.count).littleEndian) { data.append(contentsOf: $0) }
                data.append(encoded)
            }
        }
        return data
    }

    static func decode(_ data: Data) throws -> LUTNetwork {
        let bytes = [UInt8](data)
        var offset = 0
        func chunk() throws -> Data {
            guard offset + 8 <= bytes.count else { throw PipelineError("stored LUT network is truncated") }
            let length = (0..<8).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
            guard length >= 0, offset + 8 + length <= bytes.count else { throw PipelineError("stored LUT network is truncated") }
            defer { offset += 8 + length }
            return Data(bytes[(offset + 8)..<(offset + 8 + length)])
        }
        let header = try StepCodecs.decodeJSON(Header.self, try chunk(), what: "LUT network")
        let tables = try header.spec.layers.map { layer in try (0..<layer.partitions).map { _ in try StepCodecs.decodeTable(try chunk()) } }
        return LUTNetwork(spec: header.spec, connectivity: header.connectivity, tables: tables, encoder: header.encoder)
    }
}
