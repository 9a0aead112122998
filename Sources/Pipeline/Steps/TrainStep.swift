import BuildGraph
import Datasets
import Foundation
import NeuraLUT
import Synchronization
import ProjectFile

/// `train`: one batch step over all partitions, trained jointly, so every
/// member's key covers the whole network (`BatchStep`): the dataset, the
/// wiring (`connectivity`'s output, which the trainer reads), with
/// `[train] distillation` the teacher's logits (`teacher`'s output), the optimiser
/// settings, the seed, input bits, and every layer's partitions, fan-in, bits,
/// width, depth and skip. Any change retrains everything, and gives exactly
/// what a clean build gives.
///
/// Members: one per partition `layerL/pK` (its weights), `quantizers` (the
/// learned scales), and the run's log, `training.json` and `training.csv`
/// (published to `gen/reports/`).
///
/// Partial retraining happens only when asked for (`--retrain layerK`): the
/// forced partitions train with every other partition and the quantizers
/// frozen at their stored values, warm-started from their previous weights.
/// The engine records that run under derived keys naming the frozen outputs,
/// so it never stands in for a clean build's result.
enum TrainStep: PipelineBatchStep {
    static let id = "train"
    static let kind = "train"
    static let version = 7
    static let quantizersMember = "quantizers"

    static func memberName(_ id: PartitionID) -> String { "layer\(id.layer)/p\(id.index)" }

    static func partitionID(_ member: String) -> PartitionID? {
        let parts = member.split(separator: "/")
        guard parts.count == 2, parts[0].hasPrefix("layer"), parts[1].hasPrefix("p"),
            let layer = Int(parts[0].dropFirst(5)), let index = Int(parts[1].dropFirst())
        else { return nil }
        return PartitionID(layer: layer, index: index)
    }

    /// The batch's own settings (with every member's `Member`, the whole network).
    struct Shared: Codable, Sendable {
        var train: TrainSection
        var seed: UInt64
        var inputBits: Int
        var partitions: [Int]
        var minInputActivity: Double
        /// Nil (and so absent from the key) unless set: projects without it keep their keys.
        var imageWidth: Int?
        /// Nil (and so absent from the key) unless above 1, likewise.
        var imageChannels: Int?
        /// Nil (and so absent from the key) unless above 1, likewise.
        var partitionsPerClass: Int?
        /// Nil (and so absent from the key) unless above 0, likewise.
        var tieBreakers: Int?
    }

    /// One partition's shape (the layer's settings).
    struct Member: Codable, Sendable, Equatable {
        var fanIn: Int
        var outputBits: Int
        /// The previous layer's output bits (so changing them retrains this layer).
        var inputBits: Int
        var width: Int
        var depth: Int
        var skip: Int
    }

    static func member(_ model: ModelSection, layer: Int) -> Member {
        let spec = model.layerSpecs[layer]
        return Member(
            fanIn: spec.fanIn, outputBits: spec.outputBits, inputBits: model.inputBits(ofLayer: layer),
            width: spec.shape.width, depth: spec.shape.depth, skip: spec.shape.skip)
    }

    /// The settings every member's run reads (the whole network's; also the wiring search's).
    static func shared(_ config: ProjectConfig) -> Shared {
        let model = config.model
        return Shared(
            train: config.train, seed: model.seed, inputBits: model.inputBits,
            partitions: model.layers.map(\.partitions), minInputActivity: model.minInputActivity, imageWidth: model.imageWidth,
            imageChannels: model.interleavedChannels,
            partitionsPerClass: model.networkShape.partitionsPerClass, tieBreakers: model.networkShape.tieBreakers)
    }

    /// `action` trains; tests of the build's keys substitute one that does not.
    static func make(_ config: ProjectConfig, action: @escaping Action = train) throws -> BatchStep {
        let model = config.model
        let shared = shared(config)
        var members: [PipelineBatchMember<Member>] = []
        for (layer, spec) in model.layerSpecs.enumerated() {
            let parameters = member(model, layer: layer)
            for index in 0..<spec.partitions {
                members.append(PipelineBatchMember(name: memberName(PartitionID(layer: layer, index: index)), parameters: parameters))
            }
        }
        members.append(PipelineBatchMember(name: quantizersMember))
        for (report, path) in [
            (TrainingReport.jsonMember, OutputLayout.Report.trainingJSON),
            (TrainingReport.csvMember, OutputLayout.Report.trainingCSV),
        ] {
            members.append(PipelineBatchMember(name: report, publish: path, reportsRun: true))
        }
        var inputs = StepInputs()
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        inputs.bind(CommonInputs.connectivity, to: OutputRefs.connectivity)
        TeacherStep.bind(&inputs, config)
        return try batch(
            id: id, shared, inputs: inputs,
            members: members, usesAllCores: true, action: action)
    }

    /// The network the parameters describe, for data with `features` and `classes`.
    static func networkSpec(_ shared: Shared, _ members: [String: Member], features: Int, classes: Int) throws -> NetworkSpec {
        let layers = try shared.partitions.enumerated().map { layer, partitions in
            guard let member = members[memberName(PartitionID(layer: layer, index: 0))] else {
                throw PipelineError("the train step has no parameters for layer \(layer); this is a bug in lutbuild")
            }
            return LayerSpec(
                partitions: partitions, fanIn: member.fanIn, outputBits: member.outputBits,
                shape: PartitionShape(width: member.width, depth: member.depth, skip: member.skip))
        }
        return NetworkSpec(
            inputFeatures: features, inputBits: shared.inputBits, classes: classes, layers: layers, seed: shared.seed,
            partitionsPerClass: shared.partitionsPerClass ?? 1, tieBreakers: shared.tieBreakers ?? 0)
    }

    @Sendable
    static func train(_ shared: Shared, _ members: [String: Member], _ context: StepContext) async throws -> StepOutputs {
        let prepared = try context.read(CommonInputs.data)
        let spec = try networkSpec(shared, members, features: prepared.features, classes: prepared.classes)
        let settings = shared.train.trainingConfig(minInputActivity: shared.minInputActivity, image: shared.image)
        // The validation split is data/prepare's (one split, reported in data.json): the trainer holds out nothing.
        let validation = prepared.validation
        if let warning = ResultWarnings.smallValidation(rows: validation.rows, keepsBestEpoch: settings.keepsBestEpoch) {
            context.warn(warning)
        }
        let connectivity = try context.read(CommonInputs.connectivity)
        let teacher = try TeacherStep.read(context, distills: settings.distills)
        let (trainer, checkpoint) = try ResumableRun.trainer(
            context,
            resume: {
                try Trainer.resume(checkpoint: $0, data: prepared.train, test: prepared.test, validation: validation, teacher: teacher)
            },
            start: {
                guard partial(context) else {
                    return try Trainer(
                        spec: spec, config: settings, data: prepared.train, test: prepared.test, validation: validation,
                        connectivity: connectivity, teacher: teacher)
                }
                var initial = TrainedNetwork.initial(spec: spec)
                initial.quantizers = try QuantizerParameters(decoding: [UInt8](context.freshOutput(quantizersMember)))
                for member in context.fresh {
                    guard let id = partitionID(member) else { continue }
                    initial[id] = try PartitionWeights(decoding: [UInt8](context.freshOutput(member)))
                }
                let trainable = Set(context.stale.compactMap(partitionID))
                var warm = 0
                for id in trainable {
                    // Warm start where the shape is unchanged (else the trainer starts it fresh).
                    if let previous = context.previousOutput(member: memberName(id)),
                        let weights = try? PartitionWeights(decoding: [UInt8](previous)),
                        weights.fanIn == spec.layers[id.layer].fanIn, weights.shape == spec.layers[id.layer].shape
                    {
                        initial[id] = weights
                        warm += 1
                    }
                }
                if warm > 0 { context.progress("warm-starting \(warm) partition(s) from their previous weights") }
                context.progress(
                    "retraining \(trainable.count) of \(spec.layers.map(\.partitions).reduce(0, +)) partitions, the rest frozen")
                return try Trainer(
                    spec: spec, config: settings, data: prepared.train, test: prepared.test,
                    initial: initial, trainable: trainable, validation: validation, connectivity: connectivity, teacher: teacher)
            })
        let throttle = ProgressThrottle()
        let outcome = try trainer.run(
            progress: { progress in
                if throttle.shouldReport(final: progress.batch == progress.batches) {
                    context.status(describe(progress), fraction: fractionDone(progress))
                }
            },
            shouldStop: { context.isCancelled },
            checkpoint: checkpoint)
        guard outcome.completed else { throw CancellationError() }

        var outputs: StepOutputs = [:]
        for member in context.stale {
            if member == quantizersMember {
                outputs[member] = Data(outcome.network.quantizers.encoded())
            } else if let id = partitionID(member) {
                outputs[member] = Data(outcome.network[id].encoded())
            }
        }
        return outputs.merging(try reports(outcome.log, context, prepared)) { weights, _ in weights }
    }

    /// The run's log as `training.json` and `training.csv`.
    static func reports(_ log: TrainingLog, _ context: StepContext, _ prepared: PreparedData) throws -> StepOutputs {
        let report = TrainingReport(
            log: log, trainedPartitions: context.stale.filter { partitionID($0) != nil }, partial: partial(context),
            trainRows: prepared.train.rows, validationRows: prepared.validation.rows)
        return [TrainingReport.jsonMember: try report.json(), TrainingReport.csvMember: Data(log.csv(timings: false).utf8)]
    }

    /// Some partitions stay frozen (`--retrain`: the quantizers are not
    /// retrained). Otherwise the engine runs the whole batch: full training,
    /// which gives exactly a clean build's weights.
    private static func partial(_ context: StepContext) -> Bool {
        !context.stale.contains(quantizersMember) && context.fresh.contains { partitionID($0) != nil }
    }

    /// The share of the run's batches done.
    static func fractionDone(_ p: TrainingProgress) -> Double {
        Double((p.epoch - 1) * p.batches + p.batch) / Double(max(p.epochs * p.batches, 1))
    }

    /// `[######··············] epoch 3/60  batch 120/400  loss 0.512  acc 91.2%  12345 samples/s  ETA 1m20s`.
    static func describe(_ p: TrainingProgress) -> String {
        let eta = Int(p.etaSeconds.isFinite ? max(p.etaSeconds, 0) : 0)
        let etaText = eta >= 60 ? "\(eta / 60)m\(String(format: "%02d", eta % 60))s" : "\(eta)s"
        let filled = min(20, Int(20 * fractionDone(p)))
        let bar = "[" + String(repeating: "#", count: max(filled, 0)) + String(repeating: "·", count: 20 - max(filled, 0)) + "] "
        return bar + "epoch \(p.epoch)/\(p.epochs)  batch \(p.batch)/\(p.batches)  "
            + String(format: "loss %.3f  acc %.1f%%  %.0f samples/s  ETA ", p.loss, p.accuracy * 100, p.samplesPerSecond)
            + etaText
    }
}

/// At most a few status reports per second (the renderer thins them further for plain logs).
final class ProgressThrottle: Sendable {
    private let last = Mutex<UInt64>(0)

    func shouldReport(final: Bool) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        return last.withLock { last in
            guard final || now &- last >= 250_000_000 else { return false }
            last = now
            return true
        }
    }
}

extension TrainStep.Shared {
    /// The image the run's features lie on, from the two keys that describe it.
    var image: ImageGeometry? { ImageGeometry(width: imageWidth, channels: imageChannels) }
}
