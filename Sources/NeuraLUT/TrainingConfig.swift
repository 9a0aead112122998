import Allocation
import Datasets
import Foundation

/// Optimiser and schedule settings (docs/method.md: AdamW, betas (0.5, 0.999),
/// cosine annealing with warm restarts stepped per batch).
public struct TrainingConfig: Hashable, Codable, Sendable {
    public var epochs: Int
    /// Smallest batch: batch-norm needs two samples.
    public static let minimumBatch = 2
    public var batchSize: Int
    public var learningRate: Float
    public var weightDecay: Float
    public var beta1: Float
    public var beta2: Float
    public var adamEpsilon: Float
    /// The cosine schedule restarts every this many epochs.
    public var restartEpochs: Int
    /// Share of the training rows held out to select the best epoch.
    public var validationFraction: Double
    /// Layer 0 connects only to input features active (see `InputActivity`)
    /// in more than this share of the training rows; 0 leaves out constant
    /// features only. Ignored when the trainer is given a connectivity.
    public var minInputActivity: Double
    /// Input features are the pixels of images this wide, row by row: layer 0
    /// reads patches (`Connectivity.patches`). Nil: random wiring. Ignored
    /// when the trainer is given a connectivity.
    public var imageWidth: Int?
    /// Features per pixel of those images (`ImageGeometry`); 1 unless the pixels have channels.
    public var imageChannels: Int
    /// Where each input feature lies on the image; nil without an image width.
    public var image: ImageGeometry? { ImageGeometry(width: imageWidth, channels: imageChannels) }
    /// Label smoothing ε of the cross-entropy target (0: plain one-hot).
    public var labelSmoothing: Float
    /// Data augmentation for image inputs (`imageWidth`): every training
    /// sample is shifted by up to this many pixels in each direction, drawn
    /// per step from the seed (0: off). See `ImageShift`.
    public var augmentShift: Int
    /// The input front end starts centred (`InputFrontEnd.initial`): each feature's mean on a
    /// code boundary instead of inside code 0.
    public var centresInputs: Bool
    /// Layer 0's inputs move during the run (`WiringSearch`); needs `imageWidth`.
    public var searchesWiring: Bool
    /// Weight α of the teacher's soft targets in the loss (`CrossEntropy.SoftTargets`; 0: off):
    /// the run then needs the teacher's logits of its training rows (`Teacher`).
    public var distillation: Float
    /// Whether the run learns from a teacher's logits.
    public var distills: Bool { distillation > 0 }
    /// T of the distillation loss: the teacher's and the network's softmax at this temperature.
    public static let distillationTemperature: Float = 2
    /// Keep the epoch with the best validation accuracy, the latest of tied ones (true), or the last epoch.
    public var keepsBestEpoch: Bool
    /// Training rows (evenly spaced) over which batch-norm statistics are
    /// recomputed before every validation; 0 keeps training's running
    /// averages. See `TrainedNetwork.recalibratingBatchNorm`.
    public var calibrationRows: Int
    public var batchNormMomentum: Float
    /// Worker threads; 0 means all cores. Results do not depend on it.
    public var threads: Int

    public init(
        epochs: Int = 10, batchSize: Int = 128, learningRate: Float = 2e-3, weightDecay: Float = 0,
        beta1: Float = 0.5, beta2: Float = 0.999, adamEpsilon: Float = 1e-8, restartEpochs: Int = 100,
        validationFraction: Double = 0.1, minInputActivity: Double = 0, imageWidth: Int? = nil, imageChannels: Int = 1,
        labelSmoothing: Float = 0,
        augmentShift: Int = 0, centresInputs: Bool = false, searchesWiring: Bool = false, distillation: Float = 0,
        keepsBestEpoch: Bool = true,
        calibrationRows: Int = 8192,
        batchNormMomentum: Float = 0.1, threads: Int = 0
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.adamEpsilon = adamEpsilon
        self.restartEpochs = restartEpochs
        self.validationFraction = validationFraction
        self.minInputActivity = minInputActivity
        self.imageWidth = imageWidth
        self.imageChannels = imageChannels
        self.labelSmoothing = labelSmoothing
        self.augmentShift = augmentShift
        self.centresInputs = centresInputs
        self.searchesWiring = searchesWiring
        self.distillation = distillation
        self.keepsBestEpoch = keepsBestEpoch
        self.calibrationRows = calibrationRows
        self.batchNormMomentum = batchNormMomentum
        self.threads = threads
    }

    /// The widths `imageWidth` may take (the project file's range).
    public static let imageWidthRange = 1...65536
    /// The shifts `augmentShift` may take (the project file's range).
    public static let augmentShiftRange = 0...16

    var workerThreads: Int { threads > 0 ? threads : CPUAllocation.count }

    public func validate() throws {
        guard epochs >= 0 else { throw SpecError(.epochs, "must be at least 0, got \(epochs)") }
        guard batchSize >= Self.minimumBatch else {
            throw SpecError(.batch, "must be at least \(Self.minimumBatch) (batch-norm needs two samples), got \(batchSize)")
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw SpecError(.learningRate, "must be positive, got \(learningRate)")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw SpecError(.weightDecay, "must be at least 0, got \(weightDecay)")
        }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw SpecError("train.betas must be in [0, 1), got (\(beta1), \(beta2))")
        }
        guard restartEpochs >= 1 else { throw SpecError(.restartEpochs, "must be at least 1, got \(restartEpochs)") }
        guard (0..<1).contains(minInputActivity) else {
            throw SpecError(.minInputActivity, "must be in [0, 1), got \(minInputActivity)")
        }
        if let imageWidth, !(Self.imageWidthRange ~= imageWidth) {
            throw SpecError(
                .imageWidth,
                "must be in \(Self.imageWidthRange.lowerBound)…\(Self.imageWidthRange.upperBound), got \(imageWidth)")
        }
        guard ImageGeometry.channelRange ~= imageChannels else {
            throw SpecError(
                .imageChannels,
                "must be in \(ImageGeometry.channelRange.lowerBound)…\(ImageGeometry.channelRange.upperBound), got \(imageChannels)")
        }
        guard labelSmoothing.isFinite, (0..<1).contains(labelSmoothing) else {
            throw SpecError(.labelSmoothing, "must be in [0, 1), got \(labelSmoothing)")
        }
        guard Self.augmentShiftRange ~= augmentShift else {
            throw SpecError(
                .augmentShift,
                "must be in \(Self.augmentShiftRange.lowerBound)…\(Self.augmentShiftRange.upperBound), got \(augmentShift)")
        }
        if augmentShift > 0, imageWidth == nil {
            throw SpecError(.augmentShift, "shifts images, so the inputs must be images: set the image width")
        }
        guard distillation.isFinite, (0..<1).contains(distillation) else {
            throw SpecError(.distillation, "must be in [0, 1), got \(distillation)")
        }
        if distills, augmentShift > 0 {
            throw SpecError(
                .distillation, "learns the teacher's targets of the unshifted images, so it cannot be combined with augment_shift")
        }
        guard calibrationRows >= 0 else { throw SpecError(.calibrationRows, "must be at least 0, got \(calibrationRows)") }
        guard (0..<1).contains(validationFraction) else {
            throw SpecError(.validationFraction, "must be in [0, 1), got \(validationFraction)")
        }
    }
}

/// One line of the training log.
public struct EpochRecord: Hashable, Codable, Sendable {
    public var epoch: Int
    /// Mean cross-entropy over the epoch's batches (training mode).
    public var loss: Double
    public var trainAccuracy: Double
    /// Quantized network (inference mode) on the validation split; nil without one.
    public var validationAccuracy: Double?
    /// Quantized network on the test set, reported only; nil without one.
    public var testAccuracy: Double?
    public var seconds: Double
}

/// Per-epoch history; the pipeline writes it as JSON (Codable) or `csv()`.
public struct TrainingLog: Hashable, Codable, Sendable {
    public var epochs: [EpochRecord] = []
    /// Epoch (1-based) whose weights were kept; 0 before any epoch.
    public var bestEpoch: Int = 0

    public init() {}

    /// `timings: false` leaves out the wall-clock column, for files that must
    /// be byte-identical for the same inputs.
    public func csv(timings: Bool = true) -> String {
        func f(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "" }
        let header = ["epoch", "loss", "train_acc", "val_acc", "test_acc"] + (timings ? ["seconds"] : [])
        let rows = epochs.map { r in
            ["\(r.epoch)", f(r.loss), f(r.trainAccuracy), f(r.validationAccuracy), f(r.testAccuracy)]
                + (timings ? [String(format: "%.3f", r.seconds)] : [])
        }
        return CSVWriter.table(header: header, rows: rows)
    }
}

/// A progress report, sent after every batch; rendering is the caller's job.
public struct TrainingProgress: Sendable {
    /// 1-based epoch and its total.
    public var epoch: Int
    public var epochs: Int
    /// 1-based batch within the epoch and the batches per epoch.
    public var batch: Int
    public var batches: Int
    /// Running mean loss and training accuracy of this epoch so far.
    public var loss: Double
    public var accuracy: Double
    public var samplesPerSecond: Double
    /// Estimated seconds to the end of training.
    public var etaSeconds: Double
}

/// How a training run ended.
public struct TrainingOutcome: Sendable {
    /// The selected (best-validation) network, or the last one without a validation split.
    public var network: TrainedNetwork
    public var log: TrainingLog
    /// False when `shouldStop` interrupted the run (a checkpoint was written if requested).
    public var completed: Bool
}
