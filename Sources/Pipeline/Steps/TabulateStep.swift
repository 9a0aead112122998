import BuildGraph
import Foundation
import NeuraLUT

/// `tabulate/layerL/pK`: one partition's truth table. Its key holds only what
/// the table depends on (its weights, the quantizers and its layer's shape),
/// so editing another layer does not re-tabulate this one.
enum TabulateStep {
    static func id(_ partition: PartitionID) -> String { "tabulate/\(TrainStep.memberName(partition))" }

    /// The parameters of layer `layer`'s tables (the same for all its partitions).
    static func parameters(_ config: ProjectConfig, layer: Int) throws -> Data {
        struct Shape: Encodable {
            var spec: TrainStep.PartitionSpec
            var layer: Int
            var isLast: Bool
        }
        return try StepCodecs.parameters("table", Shape(
            spec: TrainStep.partitionSpec(config, layer: layer), layer: layer, isLast: layer == config.model.layers.count - 1))
    }

    static func make(_ project: Project, _ partition: PartitionID, parameters: Data) throws -> Step {
        let config = project.config
        let layers = config.model.layerSpecs
        let addressBits = layers[partition.layer].fanIn
            * (partition.layer == 0 ? config.model.inputBits : layers[partition.layer - 1].outputBits)
        return Step(id: id(partition), kind: "tabulate", version: 1, parameters: parameters,
                    inputs: ["weights": OutputRefs.weights(partition), "quantizers": OutputRefs.quantizers],
                    outputs: ["table"], usesAllCores: addressBits >= 14) { context in
            let weights = try PartitionWeights(decoding: [UInt8](context.input("weights")))
            let quantizers = try QuantizerParameters(decoding: [UInt8](context.input("quantizers")))
            // Only this partition's layer (and the one before, for input bits) matter to its table.
            let spec = NetworkSpec(inputFeatures: 1, inputBits: config.model.inputBits,
                                   classes: layers.last?.partitions ?? 1, layers: layers, seed: config.model.seed)
            var partitions = layers.map { _ in [PartitionWeights]() }
            partitions[partition.layer] = Array(repeating: weights, count: partition.index + 1)
            let network = TrainedNetwork(spec: spec, connectivity: Connectivity(inputs: []), partitions: partitions,
                                         quantizers: quantizers)
            return ["table": StepCodecs.encode(Tabulation.tabulate(partition: partition, of: network))]
        }
    }
}
