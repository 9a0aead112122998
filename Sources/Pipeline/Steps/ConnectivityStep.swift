import BuildGraph
import Foundation
import NeuraLUT
import ProjectFile

/// `connectivity`: which previous-layer outputs each partition reads (seeded,
/// fixed before training). Drawn exactly as the trainer draws it: layer 0 on
/// the active features of all training rows (the trainer's validation set is
/// separate), so both agree. With `model.search_wiring`, a training run with
/// every setting of the train step's then moves layer 0's inputs
/// (`WiringSearch`), and its selected epoch's wiring is the output: the
/// search's key holds the train step's settings, so whatever its run reads
/// is in the key.
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
        /// Nil (and so absent from the key) unless above 1, likewise.
        var imageChannels: Int?
        /// The wiring search's run; nil (and so absent from the key) without `model.search_wiring`.
        var search: SearchRun?
    }

    /// The network and training settings of the search's run, as the train step's key holds them.
    struct SearchRun: Codable, Sendable {
        var shared: TrainStep.Shared
        var layers: [TrainStep.Member]
    }

    static func make(_ project: Project) throws -> Step {
        let model = project.config.model
        var inputs = StepInputs()
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        if model.searchesWiring { TeacherStep.bind(&inputs, project.config) }
        return try step(
            id: id,
            Parameters(
                seed: model.seed, layers: model.layerSpecs.map(LayerWiring.init),
                minInputActivity: model.minInputActivity, imageWidth: model.imageWidth,
                imageChannels: model.interleavedChannels,
                search: model.searchesWiring
                    ? SearchRun(
                        shared: TrainStep.shared(project.config),
                        layers: model.layerSpecs.indices.map { TrainStep.member(model, layer: $0) }) : nil),
            inputs: inputs, outputs: ["connectivity"], usesAllCores: model.searchesWiring)
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let prepared = try context.read(CommonInputs.data)
        let train = prepared.train
        var wiring = Connectivity.draw(
            seed: parameters.seed, layers: parameters.layers, data: train,
            rows: Array(0..<train.rows), minInputActivity: parameters.minInputActivity,
            image: ImageGeometry(width: parameters.imageWidth, channels: parameters.imageChannels))
        if let search = parameters.search {
            wiring = try searched(wiring, search, prepared, context)
        }
        for warning in ResultWarnings.unreadOutputs(wiring, layers: parameters.layers) { context.warn(warning) }
        return ["connectivity": try StepCodecs.json(wiring)]
    }

    /// `drawn` with layer 0's inputs moved by a training run of the search's settings.
    static func searched(
        _ drawn: Connectivity, _ search: SearchRun, _ prepared: PreparedData, _ context: StepContext
    ) throws
        -> Connectivity
    {
        let members = Dictionary(
            uniqueKeysWithValues: search.layers.enumerated().map { layer, member in
                (TrainStep.memberName(PartitionID(layer: layer, index: 0)), member)
            })
        let spec = try TrainStep.networkSpec(search.shared, members, features: prepared.features, classes: prepared.classes)
        var settings = search.shared.train.trainingConfig(
            minInputActivity: search.shared.minInputActivity, image: search.shared.image)
        settings.searchesWiring = true
        let teacher = try TeacherStep.read(context, distills: settings.distills)
        let (trainer, checkpoint) = try ResumableRun.trainer(
            context,
            resume: { try Trainer.resume(checkpoint: $0, data: prepared.train, validation: prepared.validation, teacher: teacher) },
            start: {
                try Trainer(
                    spec: spec, config: settings, data: prepared.train, validation: prepared.validation, connectivity: drawn,
                    teacher: teacher)
            })
        let throttle = ProgressThrottle()
        let outcome = try trainer.run(
            progress: { progress in
                if throttle.shouldReport(final: progress.batch == progress.batches) {
                    context.status("searching the wiring: " + TrainStep.describe(progress), fraction: TrainStep.fractionDone(progress))
                }
            },
            shouldStop: { context.isCancelled },
            checkpoint: checkpoint)
        guard outcome.completed else { throw CancellationError() }
        let searched = outcome.network.connectivity
        let moved = zip(drawn.inputs[0], searched.inputs[0]).map { zip($0, $1).filter { $0 != $1 }.count }.reduce(0, +)
        context.progress(
            "the wiring search moved \(moved) of layer 0's \(drawn.inputs[0].count * (drawn.inputs[0].first?.count ?? 0)) inputs"
                + " (the wiring of its epoch \(outcome.log.bestEpoch), selected as training selects)")
        return searched
    }
}
