import DeterministicJSON
import Foundation
import NeuraLUT

/// `gen/reports/training.json`: what the last training run did, epoch by
/// epoch, and which epoch's weights the build kept. After a partial retrain
/// it describes that run (the frozen partitions are listed as not trained).
public struct TrainingReport: Codable, Equatable, Sendable {
    public struct Epoch: Codable, Equatable, Sendable {
        public var epoch: Int
        public var loss: Double
        public var trainAccuracy: Double
        public var validationAccuracy: Double?
        /// The quantized network on the test set (reported only, never used for selection).
        public var testAccuracy: Double?
        // No wall-clock time: the report is published and hashed into lutbuild.lock,
        // which must be the same for the same inputs. Timings are shown as progress only.
    }

    public var epochs: [Epoch]
    /// 1-based epoch whose weights were kept (best validation accuracy).
    public var selectedEpoch: Int
    public var validationAccuracy: Double?
    /// The quantized network's test accuracy at the selected epoch.
    public var testAccuracy: Double?
    /// Partitions this run trained (`layerL/pK`), in graph order.
    public var trainedPartitions: [String]
    public var partial: Bool
    public var trainRows: Int
    public var validationRows: Int

    static let jsonMember = "training.json"
    static let csvMember = "training.csv"

    init(log: TrainingLog, trainedPartitions: [String], partial: Bool, trainRows: Int, validationRows: Int) {
        epochs = log.epochs.map {
            Epoch(
                epoch: $0.epoch, loss: $0.loss, trainAccuracy: $0.trainAccuracy, validationAccuracy: $0.validationAccuracy,
                testAccuracy: $0.testAccuracy)
        }
        selectedEpoch = log.bestEpoch
        let selected = log.epochs.first { $0.epoch == log.bestEpoch }
        validationAccuracy = selected?.validationAccuracy
        testAccuracy = selected?.testAccuracy
        self.trainedPartitions = trainedPartitions
        self.partial = partial
        self.trainRows = trainRows
        self.validationRows = validationRows
    }

    /// Sorted keys, pretty-printed, trailing newline (key style as the other reports).
    func json() throws -> Data {
        try DeterministicJSON.file(self)
    }

    static func decode(_ data: Data) throws -> TrainingReport {
        do {
            return try JSONDecoder().decode(TrainingReport.self, from: data)
        } catch {
            throw PipelineError("training report cannot be read (\(error)); build again")
        }
    }
}
