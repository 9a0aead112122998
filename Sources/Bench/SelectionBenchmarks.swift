import Foundation
import NeuraLUT
import Pipeline
import ProjectFile

/// Model selection on a tiny validation set (issue 12): the digits template
/// with `validation_fraction = 0.01` (14 validation rows, accuracy in steps
/// of 7%), trained for its 100 epochs over `seeds` (data split and weights).
/// From each run's log: the test accuracy of the epoch each rule would keep —
/// the earliest of the tied best epochs (the old rule), the latest of them
/// (the trainer's rule, checked against the log's `bestEpoch`) and the last epoch.
struct TinyValidationSelectionBenchmark {
    static let prefix = "train.selection.digits_val14"
    static let rules = ["earliest_best", "latest_best", "last_epoch"]
    static var names: [String] {
        ["validation_rows", "tied_best_epochs_mean"].map { "\(prefix).\($0)" }
            + rules.flatMap { ["\(prefix).\($0).test_acc_mean", "\(prefix).\($0).test_acc_min"] }
    }

    var seeds: [UInt64] = Array(1...8)

    func run() throws -> [Figure] {
        var accuracies = [String: [Double]]()
        var tied: [Double] = []
        var validationRows = 0
        for seed in seeds {
            let log = try RtlReference.inTemporaryDirectory { try train(seed: seed, in: $0, validationRows: &validationRows) }
            let validation = log.epochs.map { $0.validationAccuracy ?? -1 }
            guard let best = validation.max(), let earliest = validation.firstIndex(of: best),
                let latest = validation.lastIndex(of: best)
            else { throw BenchError("seed \(seed): no epochs") }
            guard log.bestEpoch == latest + 1 else {
                throw BenchError("seed \(seed): the trainer kept epoch \(log.bestEpoch), not the latest best \(latest + 1)")
            }
            tied.append(Double(validation.filter { $0 == best }.count))
            let test = log.epochs.map { $0.testAccuracy ?? 0 }
            for (rule, epoch) in zip(Self.rules, [earliest, latest, test.count - 1]) { accuracies[rule, default: []].append(test[epoch]) }
            let line =
                "selection seed \(seed): \(tied.last!) tied best epochs; test acc earliest \(test[earliest]) latest"
                + " \(test[latest]) last \(test.last!)\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        return [
            Figure(name: "\(Self.prefix).validation_rows", value: Double(validationRows), unit: "rows"),
            Figure(name: "\(Self.prefix).tied_best_epochs_mean", value: mean(tied), unit: "epochs"),
        ]
            + Self.rules.flatMap { rule in
                [
                    Figure(name: "\(Self.prefix).\(rule).test_acc_mean", value: mean(accuracies[rule] ?? []), unit: "fraction"),
                    Figure(name: "\(Self.prefix).\(rule).test_acc_min", value: accuracies[rule]?.min() ?? 0, unit: "fraction"),
                ]
            }
    }

    /// Trains the template (as `data/prepare` splits it) with `seed` for the data split and the weights.
    func train(seed: UInt64, in directory: URL, validationRows: inout Int) throws -> TrainingLog {
        _ = try ProjectTemplate.install(into: directory, displayName: directory.path)
        let file = directory.appendingPathComponent(ProjectConfig.fileName)
        let text = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "validation_fraction = 0.1 ", with: "validation_fraction = 0.01")
            .replacingOccurrences(of: "\nseed = 1\n", with: "\nseed = \(seed)\n")
        try Data(text.utf8).write(to: file)
        let project = try Project.open(path: directory.path)
        let data = try project.prepareData()
        validationRows = data.validation.rows
        let spec = project.config.networkSpec(inputFeatures: data.features, classes: data.classes)
        let config = project.config.train.trainingConfig(
            minInputActivity: project.config.model.minInputActivity, image: project.config.model.image)
        return try Trainer(spec: spec, config: config, data: data.train, test: data.test, validation: data.validation).run().log
    }
}
