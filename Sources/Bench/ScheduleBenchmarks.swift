import Foundation
import Pipeline

/// Issue 27 item 3: `examples/mnist-lean` trained as its project file
/// schedules it, once per seed (`model.seed` 1, 2, 3), with the release
/// binary: the training's wall time and the test accuracy of the epoch
/// selected on validation (the quantized network with exact tables, as
/// training reports it), whose mean and spread over the seeds are the
/// figures. Every run trains from scratch in a folder of its own (a kept
/// build would reuse the training and time nothing). The build leaves out
/// what does not change the trained network and is not needed for it:
/// verify, the estimate, and the don't-care filling; and it is interrupted
/// (as Ctrl-C) once the training step has finished, so the tables' mapping
/// (about 6 minutes on mnist-lean) does not run. Only the training is timed.
/// Each run's accuracy curve against wall time goes to stderr.
let scheduleBenchmarks: [Benchmark] = [
    Benchmark(
        names: [
            "train.mnist-lean.minutes", "train.mnist-lean.test_acc_mean", "train.mnist-lean.test_acc_spread",
            "train.mnist-lean.val_acc_mean",
        ], fullOnly: true
    ) {
        let runs = try ScheduleRun.seeds.map { try ScheduleRun.train(example: "mnist-lean", seed: $0) }
        let accuracies = runs.map(\.testAccuracy)
        let minutes = runs.map(\.minutes).sorted()
        return [
            Figure(name: "train.mnist-lean.minutes", value: minutes[minutes.count / 2], unit: "min"),
            Figure(name: "train.mnist-lean.test_acc_mean", value: accuracies.reduce(0, +) / Double(runs.count), unit: "fraction"),
            Figure(name: "train.mnist-lean.test_acc_spread", value: accuracies.max()! - accuracies.min()!, unit: "fraction"),
            Figure(
                name: "train.mnist-lean.val_acc_mean", value: runs.map(\.validationAccuracy).reduce(0, +) / Double(runs.count),
                unit: "fraction"),
        ]
    }
]

/// One seed's training of a shipped example.
struct ScheduleRun {
    static let seeds: [UInt64] = [1, 2, 3]
    /// The training step's id in `--json` events.
    static let trainStep = "train"

    var minutes: Double
    var testAccuracy: Double
    var validationAccuracy: Double

    static func train(example: String, seed: UInt64) throws -> ScheduleRun {
        let project = try ExampleCheckout.project(
            example: URL(fileURLWithPath: "examples/\(example)"), under: URL(fileURLWithPath: ".build/bench/schedule"),
            folder: "\(example)-seed\(seed)-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: project) }
        let run = try ReleaseLutbuild().run(
            ["build", "--json", "--no-verify", "--no-estimate", "--set", "model.seed=\(seed)", "--set", "hardware.dont_care=none"],
            in: project, stoppingAfter: ScheduleRun.trainStep)
        guard let seconds = run.stepSeconds[Self.trainStep] else { throw BenchError("the build of \(example) ran no training") }
        let report = try ReleaseLutbuild.report(TrainingReport.self, OutputLayout.Report.trainingJSON, in: project)
        guard let test = report.testAccuracy, let validation = report.validationAccuracy else {
            throw BenchError("\(example) has no test or validation set")
        }
        // Epochs are equal work, so epoch k ends at about k/epochs of the training's wall time.
        let perEpoch = seconds / 60 / Double(max(report.epochs.count, 1))
        let curve = report.epochs.map {
            String(
                format: "%d:%.1fmin:%.2f/%.2f", $0.epoch, Double($0.epoch) * perEpoch, 100 * ($0.validationAccuracy ?? 0),
                100 * ($0.testAccuracy ?? 0))
        }
        FileHandle.standardError.write(
            Data(
                ("schedule: \(example) seed \(seed): \(String(format: "%.1f", seconds / 60)) min, epoch \(report.selectedEpoch)"
                    + " selected, test \(String(format: "%.2f", 100 * test))%; epoch:minutes:val/test "
                    + curve.joined(separator: " ") + "\n").utf8))
        return ScheduleRun(minutes: seconds / 60, testAccuracy: test, validationAccuracy: validation)
    }
}
