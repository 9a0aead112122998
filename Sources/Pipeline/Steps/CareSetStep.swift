import BuildGraph
import Foundation
import NeuraLUT
import ProjectFile

/// `care-sets` (with `[hardware] dont_care = "unseen"`): per partition, the
/// table addresses the training rows (training and validation parts, never
/// the test part) reach through the exact LUT network, at least
/// `dont_care_min_hits` times, widened by `dont_care_widen` code steps
/// (docs/hardware.md, "Don't-cares"). One output per partition, so a
/// partition whose care set comes out unchanged is not mapped again.
enum CareSetStep: PipelineStep {
    static let id = "care-sets"
    static let kind = "care-sets"
    static let version = 1

    struct Parameters: Codable, Sendable {
        var minimumHits: Int
        var widen: Int
    }

    /// Partition `partition`'s care set (the step exists only when the project has don't-cares).
    static func output(_ partition: PartitionID) -> StepSource<CareSet> {
        .output(step: id, name: TrainStep.memberName(partition))
    }

    static func make(_ config: ProjectConfig) throws -> Step {
        try step(
            id: id, Parameters(minimumHits: config.hardware.dontCareMinHits, widen: config.hardware.dontCareWiden),
            inputs: inputs(config),
            outputs: PipelineGraph.partitionIDs(config).map(TrainStep.memberName))
    }

    static func inputs(_ config: ProjectConfig) -> StepInputs {
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.exactNetwork(config))
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        return inputs
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let network = try context.read(CommonInputs.network)
        let data = try context.read(CommonInputs.data)
        context.progress("care sets from \(data.train.rows) training and \(data.validation.rows) validation rows")
        let careSets = try network.careSets(
            rows: [data.train, data.validation], minimumHits: parameters.minimumHits,
            widen: parameters.widen)
        var outputs: StepOutputs = [:]
        for (l, layer) in careSets.enumerated() {
            for (p, care) in layer.enumerated() {
                outputs[TrainStep.memberName(PartitionID(layer: l, index: p))] = Data(care.encoded())
            }
        }
        return outputs
    }

    static func decode(_ data: Data) throws -> CareSet {
        do {
            return try CareSet(decoding: [UInt8](data))
        } catch {
            throw PipelineError("stored care set cannot be read (\(error)); run `lutbuild clean` and build again")
        }
    }
}
