import BuildGraph
import Foundation
import NeuraLUT
import ProjectFile

/// `connectivity`: which previous-layer outputs each partition reads (seeded,
/// fixed before training). Drawn exactly as the trainer draws it: layer 0 on
/// the active features of all training rows (the trainer's validation set is
/// separate), so both agree.
enum ConnectivityStep: PipelineStep {
    static let id = "connectivity"
    static let kind = "connectivity"
    static let version = 3

    struct Parameters: Codable, Sendable {
        var seed: UInt64
        var layers: [LayerWiring]
        var minInputActivity: Double
        /// Nil (and so absent from the key) unless set: projects without it keep their keys.
        var imageWidth: Int?
    }

    static func make(_ project: Project) throws -> Step {
        let model = project.config.model
        var inputs = StepInputs()
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        return try step(
            id: id,
            Parameters(
                seed: model.seed, layers: model.layerSpecs.map(LayerWiring.init),
                minInputActivity: model.minInputActivity, imageWidth: model.imageWidth),
            inputs: inputs, outputs: ["connectivity"])
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let train = try context.read(CommonInputs.data).train
        let wiring = Connectivity.draw(
            seed: parameters.seed, layers: parameters.layers, data: train,
            rows: Array(0..<train.rows), minInputActivity: parameters.minInputActivity,
            imageWidth: parameters.imageWidth)
        for warning in ResultWarnings.unreadOutputs(wiring, layers: parameters.layers) { context.warn(warning) }
        return ["connectivity": try StepCodecs.json(wiring)]
    }
}
