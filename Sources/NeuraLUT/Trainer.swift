import Datasets
import Foundation

/// Trains a NeuraLUT network (docs/method.md) on the CPU, deterministically:
/// the same seed, data and settings give bit-identical weights whatever the
/// thread count, and a run resumed from a checkpoint equals an uninterrupted one.
///
/// Partial retraining: pass the stored network as `initial` and the set of
/// partitions to train; every other partition, all quantizer scales and the
/// input front end stay bit-identical.
public final class Trainer {
    /// Floats of hidden activations (4 MB) below which the forward pass keeps all of them
    /// and the backward pass reads them instead of recomputing them tile by tile. Measured
    /// on 2 cores (docs/training.md, "Against the machine's limit"): jsc-2l's 0.9 M floats kept
    /// train about 12% faster; mnist-5l's 3.5 M (batch 128) train 10% slower kept and jsc-5l's
    /// 22 M (batch 1,024) 27% slower, as reading them back from outside L1 costs more than the
    /// products.
    public static let keptHiddenBudget = 1 << 20

    /// Rows a run needs to fit on (batch-norm statistics need two).
    public static let minimumTrainingRows = 2

    public let spec: NetworkSpec
    public let config: TrainingConfig
    /// The wiring; layer 0's moves during the run with `config.searchesWiring`.
    private(set) var connectivity: Connectivity
    /// Nil unless `config.searchesWiring`.
    let wiringSearch: WiringSearch?
    let data: Dataset
    let test: Dataset?
    /// An explicit validation set (replaces the hold-out from `data`).
    let validationSet: Dataset?
    let trainRows: [Int]
    let validationRows: [Int]
    /// Written into checkpoints; computed on the first one.
    lazy var dataFingerprint = Trainer.fingerprint(data)
    /// Evenly spaced training rows for `recalibratingBatchNorm`.
    let calibrationRows: [Int]
    let store: ParameterStore
    /// `trainable[l][p]`.
    let trainable: [[Bool]]
    /// Scales and input front end train only in full training.
    let globalTrainable: Bool
    /// Lowest layer holding a trainable partition (backward stops there).
    let lowestTrainable: Int
    var frozenEncoder: InputEncoder
    let samplesPerBatch: Int
    let batchesPerEpoch: Int
    /// Training samples' random shifts; nil without augmentation.
    let imageShift: ImageShift?
    /// Remade when the wiring moves.
    private(set) var buffers: TrainingBuffers
    let hiddenBudget: Int
    let scratch: [WorkerScratch]
    /// `scratch[worker]`'s memory, as the workers read it.
    let scratchPointers: [ScratchPointers]
    let labelsOfBatch: UnsafeMutablePointer<Int32>
    /// With `config.distillation`: the teacher's logits of every row of `data` (`row · classes + c`),
    /// and those of the batch (`classes × batch`, as the logits).
    let teacherLogits: [Float]?
    let teacherOfBatch: UnsafeMutablePointer<Float>?

    // Position and history (all of it is in the checkpoint).
    var epoch = 0
    var batchInEpoch = 0
    var step = 0
    var epochLoss: Double = 0
    var epochCorrect = 0
    var epochSeen = 0
    var epochSeconds: Double = 0
    var log = TrainingLog()
    var best: TrainedNetwork?
    var bestAccuracy = -1.0

    /// - Parameters:
    ///   - data: training rows; a `validationFraction` of them is held out (seeded) for model selection
    ///     unless `validation` is given.
    ///   - test: reported per epoch, never used for selection.
    ///   - validation: rows that select the best epoch instead of a hold-out from `data` (all of `data` then trains).
    ///   - initial: weights to start from (required for partial training).
    ///   - trainable: partitions to train; nil trains everything.
    ///   - connectivity: the wiring; nil draws it (seeded) with layer 0 on the training rows'
    ///     active features (`config.minInputActivity`).
    ///   - hiddenBudget: floats of hidden activations the forward pass may keep for the backward
    ///     pass (`keptHiddenBudget`); results are the same bits whichever way (tested).
    ///   - teacher: with `config.distillation`, the teacher's logits of every row of `data`
    ///     (`TeacherOutcome.logits`); required then, ignored otherwise.
    public init(
        spec: NetworkSpec, config: TrainingConfig, data: Dataset, test: Dataset? = nil,
        initial: TrainedNetwork? = nil, trainable: Set<PartitionID>? = nil, validation: Dataset? = nil,
        connectivity: Connectivity? = nil, hiddenBudget: Int = Trainer.keptHiddenBudget, teacher: [Float]? = nil
    ) throws {
        try spec.validate()
        try config.validate()
        if config.distills {
            guard let teacher, teacher.count == data.rows * spec.classes else {
                throw SpecError(
                    .distillation,
                    "needs the teacher's logits of every training row (\(data.rows) × \(spec.classes)), got \(teacher?.count ?? 0) values")
            }
            teacherLogits = teacher
        } else {
            teacherLogits = nil
        }
        try Trainer.check(data, against: spec, name: "training data")
        if let test { try Trainer.check(test, against: spec, name: "test data") }
        if let validation { try Trainer.check(validation, against: spec, name: "validation data") }
        if trainable != nil, initial == nil {
            throw SpecError("partial training needs the initial network whose other partitions stay frozen")
        }
        if let initial, trainable != nil {
            guard initial.spec.layers.count == spec.layers.count, initial.spec.inputFeatures == spec.inputFeatures,
                initial.spec.inputBits == spec.inputBits,
                zip(initial.spec.layers, spec.layers).allSatisfy({ $0.partitions == $1.partitions })
            else {
                throw SpecError(
                    "partial training needs the same layers and partition counts as the initial network; retrain everything instead")
            }
        }
        if let connectivity {
            guard connectivity.inputs.count == spec.layers.count,
                zip(connectivity.inputs, spec.layers).allSatisfy({ wiring, layer in
                    wiring.count == layer.partitions && wiring.allSatisfy { $0.count == layer.fanIn }
                })
            else {
                throw SpecError("the given connectivity does not match the network's layers, partition counts and fan-ins")
            }
        }
        for id in trainable ?? []
        where !(spec.layers.indices.contains(id.layer) && (0..<spec.layers[id.layer].partitions).contains(id.index)) {
            throw SpecError("trainable partition \(id) does not exist in the network")
        }
        let imageShift = ImageShift(features: spec.inputFeatures, image: config.image, maximum: config.augmentShift)
        if config.augmentShift > 0, imageShift == nil {
            // `validate` made sure of an image width; it must divide the features.
            throw SpecError(
                .augmentShift,
                "shifts images, but \(spec.inputFeatures) features are not whole \(config.image?.rowsDescription ?? "rows")"
            )
        }
        self.imageShift = imageShift
        self.spec = spec
        self.config = config
        self.data = data
        self.test = test
        validationSet = validation
        // Split: seeded, fixed for the run; sorted so batches only depend on the shuffle.
        var order = Array(0..<data.rows)
        var rng = SeededRandom(seed: spec.seed, stream: 0x5A11D)
        rng.shuffle(&order)
        let held = validation == nil ? Int((Double(data.rows) * config.validationFraction).rounded()) : 0
        validationRows = order[0..<held].sorted()
        let fitting = Array(order[held...].sorted())
        trainRows = fitting
        let spacing = max(fitting.count / max(config.calibrationRows, 1), 1)
        calibrationRows =
            config.calibrationRows == 0
            ? []
            : stride(from: 0, to: fitting.count, by: spacing).prefix(config.calibrationRows).map { fitting[$0] }
        guard trainRows.count >= Trainer.minimumTrainingRows else {
            throw SpecError(
                "training data: \(trainRows.count) training rows after holding out validation, at least"
                    + " \(Trainer.minimumTrainingRows) are needed"
            )
        }
        self.connectivity =
            connectivity
            ?? Connectivity.draw(
                for: spec, data: data, rows: fitting, minInputActivity: config.minInputActivity,
                image: config.image)
        store = ParameterStore(spec: spec)
        globalTrainable = trainable == nil
        self.trainable = spec.layers.indices.map { l in
            (0..<spec.layers[l].partitions).map { trainable?.contains(PartitionID(layer: l, index: $0)) ?? true }
        }
        lowestTrainable = self.trainable.firstIndex { $0.contains(true) } ?? spec.layers.count

        // Weights: fresh per-partition streams, warm-started where the initial network's shape matches.
        let fresh = TrainedNetwork.initial(spec: spec, centredInputs: config.centresInputs)
        store.load(fresh)
        if let initial {
            for l in spec.layers.indices where l < initial.partitions.count {
                for p in 0..<min(spec.layers[l].partitions, initial.partitions[l].count) {
                    let w = initial.partitions[l][p]
                    if w.fanIn == spec.layers[l].fanIn, w.shape == spec.layers[l].shape,
                        w.parameters.count == store.layouts[l].parameterCount
                    {
                        store.load(partition: w, layer: l, index: p)
                    } else if !self.trainable[l][p] {
                        throw SpecError("frozen partition \(PartitionID(layer: l, index: p)) changed shape; it must be retrained")
                    }
                }
            }
            if initial.quantizers.outputScales.count == spec.layers.count,
                initial.quantizers.inputFrontEnd.mean.count == spec.inputFeatures
            {
                store.load(quantizers: initial.quantizers)
            }
        }
        frozenEncoder = store.snapshot(connectivity: self.connectivity).encoder
        if config.searchesWiring {
            guard trainable == nil, let image = config.image else {
                throw SpecError("the wiring search needs images (an image width) and trains the whole network")
            }
            wiringSearch = WiringSearch(
                wiring: self.connectivity.inputs[0], fanIn: spec.layers[0].fanIn, features: spec.inputFeatures,
                image: image)
        } else {
            wiringSearch = nil
        }

        samplesPerBatch = min(config.batchSize, trainRows.count)
        batchesPerEpoch = trainRows.count / samplesPerBatch
        let batch = Kernels.padded(samplesPerBatch)
        self.hiddenBudget = hiddenBudget
        let layouts = store.layouts
        buffers = TrainingBuffers(
            spec: spec, layouts: layouts, batch: batch, store: store, connectivity: self.connectivity,
            trainable: self.trainable, hiddenBudget: hiddenBudget)
        scratch = (0..<config.workerThreads).map { _ in WorkerScratch(layouts: layouts, batch: batch) }
        scratchPointers = scratch.map(\.pointers)
        labelsOfBatch = .allocate(capacity: batch)
        teacherOfBatch = teacherLogits == nil ? nil : .allocate(capacity: spec.classes * batch)
    }

    deinit {
        labelsOfBatch.deallocate()
        teacherOfBatch?.deallocate()
    }

    static func check(_ data: Dataset, against spec: NetworkSpec, name: String) throws {
        guard data.columns == spec.inputFeatures else {
            throw SpecError("\(name): \(data.columns) feature columns, the model expects \(spec.inputFeatures)")
        }
        if let bad = data.labels.firstIndex(where: { $0 < 0 || Int($0) >= spec.classes }) {
            throw SpecError("\(name): row \(bad) has label \(data.labels[bad]), expected 0..<\(spec.classes)")
        }
        if let bad = data.features.firstIndex(where: { !$0.isFinite }) {
            throw SpecError(
                "\(name): row \(bad / data.columns) feature \(bad % data.columns) is \(data.features[bad]), expected a finite number")
        }
    }

    /// The current weights (not the selected best).
    public var currentNetwork: TrainedNetwork { store.snapshot(connectivity: connectivity) }

    /// Trains until `config.epochs` are done or `shouldStop` returns true
    /// (polled before every batch). When `checkpoint` is given, a resumable
    /// checkpoint is written there at every epoch end and when stopping.
    public func run(
        progress: (@Sendable (TrainingProgress) -> Void)? = nil,
        shouldStop: @Sendable () -> Bool = { false },
        checkpoint: URL? = nil
    ) throws -> TrainingOutcome {
        while epoch < config.epochs {
            let order = shuffledRows(epoch: epoch)
            var clock = DispatchTime.now().uptimeNanoseconds
            while batchInEpoch < batchesPerEpoch {
                if shouldStop() {
                    epochSeconds += seconds(since: clock)
                    if let checkpoint { try writeCheckpoint(to: checkpoint) }
                    return outcome(completed: false)
                }
                let start = batchInEpoch * samplesPerBatch
                trainStep(rows: order[start..<start + samplesPerBatch])
                batchInEpoch += 1
                let now = DispatchTime.now().uptimeNanoseconds
                epochSeconds += Double(now - clock) / 1e9
                clock = now
                if let progress { progress(report()) }
            }
            finishEpoch()
            if let checkpoint { try writeCheckpoint(to: checkpoint) }
        }
        return outcome(completed: true)
    }

    private func seconds(since clock: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
    }

    private func report() -> TrainingProgress {
        let rate = Double(epochSeen) / max(epochSeconds, 1e-9)
        let remaining = Double((config.epochs - epoch) * batchesPerEpoch - batchInEpoch) * Double(samplesPerBatch)
        return TrainingProgress(
            epoch: epoch + 1, epochs: config.epochs, batch: batchInEpoch, batches: batchesPerEpoch,
            loss: epochLoss / Double(max(epochSeen, 1)), accuracy: Double(epochCorrect) / Double(max(epochSeen, 1)),
            samplesPerSecond: rate, etaSeconds: remaining / max(rate, 1e-9))
    }

    func shuffledRows(epoch: Int) -> [Int] {
        var rows = trainRows
        var rng = SeededRandom(seed: spec.seed, stream: 0x5EED, UInt64(epoch))
        rng.shuffle(&rows)
        return rows
    }

    private func finishEpoch() {
        let start = DispatchTime.now().uptimeNanoseconds
        let net = calibratedNetwork()
        let quantized = QuantizedNetwork(net, threads: config.workerThreads)
        let validation =
            validationSet.flatMap { $0.rows > 0 ? quantized.accuracy($0) : nil }
            ?? (validationRows.isEmpty ? nil : quantized.accuracy(data, rows: validationRows))
        let testAccuracy = test.map { quantized.accuracy($0) }
        epochSeconds += seconds(since: start)
        log.epochs.append(
            EpochRecord(
                epoch: epoch + 1, loss: epochLoss / Double(max(epochSeen, 1)),
                trainAccuracy: Double(epochCorrect) / Double(max(epochSeen, 1)),
                validationAccuracy: validation, testAccuracy: testAccuracy, seconds: epochSeconds))
        // Ties go to the later epoch: on a small validation set many epochs tie, and the
        // earliest of them is the least trained (docs/training.md, "Model selection").
        if !config.keepsBestEpoch || validation == nil || validation! >= bestAccuracy {
            bestAccuracy = validation ?? bestAccuracy
            best = net
            log.bestEpoch = epoch + 1
        }
        epoch += 1
        moveWiringIfDue()
        batchInEpoch = 0
        epochLoss = 0
        epochCorrect = 0
        epochSeen = 0
        epochSeconds = 0
    }

    /// The search's moves at an epoch's end; the buffers read the wiring, so they are remade.
    private func moveWiringIfDue() {
        guard let search = wiringSearch, search.move(afterEpoch: epoch, of: config.epochs) > 0 else { return }
        connectivity.inputs[0] = search.wiring
        buffers = TrainingBuffers(
            spec: spec, layouts: store.layouts, batch: buffers.batch, store: store, connectivity: connectivity,
            trainable: trainable, hiddenBudget: hiddenBudget)
    }

    /// The current network with batch-norm statistics recomputed over the
    /// calibration rows (kept in the store too), for validation, selection
    /// and the tables. Frozen partitions and, in partial training, the
    /// input front end keep theirs, so their tables do not change.
    private func calibratedNetwork() -> TrainedNetwork {
        let net = currentNetwork
        guard !calibrationRows.isEmpty else { return net }
        let calibrated = net.recalibratingBatchNorm(
            on: data, rows: calibrationRows, partitions: trainableSet.map(Set.init),
            inputFrontEnd: globalTrainable, threads: config.workerThreads)
        store.loadStatistics(from: calibrated)
        return calibrated
    }

    private func outcome(completed: Bool) -> TrainingOutcome {
        TrainingOutcome(network: best ?? currentNetwork, log: log, completed: completed)
    }

    /// Learning rate of the current step: cosine annealing with warm restarts.
    var learningRate: Float {
        let period = max(config.restartEpochs * batchesPerEpoch, 1)
        let t = Double(step % period) / Double(period)
        return Float(Double(config.learningRate) * (1 + cos(Double.pi * t)) / 2)
    }
}
