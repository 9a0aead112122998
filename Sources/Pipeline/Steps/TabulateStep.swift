import BuildGraph
import Foundation
import NeuraLUT

/// `tabulate/layerL/pK`: one partition's truth table. Its key holds only what
/// the table depends on (its weights, the quantizers and its layer's table
/// spec), so editing another layer does not re-tabulate this one.
enum TabulateStep: PipelineStep {
    static let kind = "tabulate"
    static let version = 2

    static func id(_ partition: PartitionID) -> String { "tabulate/\(TrainStep.memberName(partition))" }

    static let weights = StepInputName("weights", decode: CommonInputs.weights.decode)

    static func make(_ partition: PartitionID, table: PartitionTableSpec) throws -> Step {
        var inputs = StepInputs()
        inputs.bind(weights, to: OutputRefs.weights(partition))
        inputs.bind(CommonInputs.quantizers, to: OutputRefs.quantizers)
        return try step(id: id(partition), table, inputs: inputs, outputs: ["table"], usesAllCores: table.addressBits >= 14)
    }

    static func run(_ table: PartitionTableSpec, _ context: StepContext) async throws -> StepOutputs {
        let weights = try context.read(Self.weights)
        let quantizers = try context.read(CommonInputs.quantizers)
        return ["table": StepCodecs.encode(Tabulation.tabulate(weights, table, quantizers: quantizers))]
    }
}
