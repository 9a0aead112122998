import DeterministicJSON
import Foundation
import NeuraLUT

/// `gen/reports/training.json`: what the last training run did, epoch by
/// epoch, and which epoch's weights the build kept. After a partial retrain
/// it describes that run (the frozen partitions are listed as not trained).
struct TrainingReport: Codable, Equatable {
    struct Epoch: Codable, Equatable {
        var epoch: Int
        var loss: Double
        var trainAccuracy: Double
        var validationAccuracy: Double?
        /// The quantized network on the test set (reported only, never used for selection).
        var testAccuracy: Double?
        // No wall-clock time: the report is published and hashed into lutbuild.lock,
        // which must be the same for the same inputs. Timings are shown as progress only.
    }

    var epochs: [Epoch]
    /// 1-based epoch whose weights were kept (best validation accuracy).
    var selectedEpoch: Int
    var validationAccuracy: Double?
    /// The quantized network's test accuracy at the selected epoch.
    var testAccuracy: Double?
    /// Partitions this run trained (`layerL/pK`), in graph order.
    var trainedPartitions: [String]
    var partial: Bool
    var trainRows: Int
    var validationRows: Int

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
