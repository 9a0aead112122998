import DeterministicJSON
import Foundation
import NeuraLUT
import Synthesis

/// What the user cares about after a build, read back from the published
/// reports (so cached results are included): accuracy in software and in
/// simulation, resources, latency. Each part is nil when the build has no
/// such report (e.g. `--no-verify`).
public struct BuildResults: Codable, Equatable, Sendable {
    public struct Training: Codable, Equatable, Sendable {
        public var selectedEpoch: Int
        /// The quantized network at the selected epoch.
        public var testAccuracy: Double?
        public var validationAccuracy: Double?
    }

    /// `evaluate`'s report as it writes it.
    public typealias Inference = InferenceReport
    /// `verify`'s report as it writes it.
    public typealias Verification = VerifyReport

    /// lutbuild's count from the mapped partitions (gen/reports/estimate.json).
    public struct Resources: Codable, Equatable, Sendable {
        public var luts: Int
        public var flipFlops: Int
        /// LUT levels between registers.
        public var logicLevels: Int
        /// With don't-cares: the LUTs of the tables mapped exactly.
        public var exactLUTs: Int?
        /// Of `luts`, those in partitions no output depends on (synthesis removes them).
        public var unreadLUTs: Int?
        public var unreadPartitions: Int?
        /// With the input encoder: its cost, counted apart from `luts` (the estimate's own type).
        public var encoder: MappedEstimate.ModuleCost?
        /// With k partitions per class: the class scores' adders, included in `luts`.
        public var classScores: MappedEstimate.ModuleCost? = nil
    }

    public var training: Training?
    public var inference: Inference?
    public var verification: Verification?
    public var resources: Resources?

    public init(
        training: Training? = nil, inference: Inference? = nil, verification: Verification? = nil,
        resources: Resources? = nil
    ) {
        self.training = training
        self.inference = inference
        self.verification = verification
        self.resources = resources
    }

    /// Reads `gen/reports/{training,lut_inference,verify,estimate}.json` under
    /// `directory`; a missing or unreadable report leaves its part nil.
    public static func read(projectDirectory directory: URL) -> BuildResults {
        read(reportsDirectory: directory.appendingPathComponent(OutputLayout.reports))
    }

    /// Reads the same reports from `directory` (a sweep point's reports), each
    /// as the type its step writes.
    public static func read(reportsDirectory directory: URL) -> BuildResults {
        func load<T: Decodable>(_ type: T.Type, _ report: String) -> T? {
            let url = directory.appendingPathComponent(String(report.dropFirst(OutputLayout.reports.count + 1)))
            return (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(type, from: $0) }
        }
        let training = load(TrainingReport.self, OutputLayout.Report.trainingJSON).map {
            Training(selectedEpoch: $0.selectedEpoch, testAccuracy: $0.testAccuracy, validationAccuracy: $0.validationAccuracy)
        }
        let resources = load(MappedEstimate.self, OutputLayout.Report.estimateJSON).map {
            Resources(
                luts: $0.luts, flipFlops: $0.flipFlops, logicLevels: $0.logicLevels, exactLUTs: $0.exactLUTs,
                unreadLUTs: $0.unreadLUTs, unreadPartitions: $0.unreadPartitions, encoder: $0.encoder,
                classScores: $0.classScores)
        }
        return BuildResults(
            training: training, inference: load(Inference.self, OutputLayout.Report.inference),
            verification: load(Verification.self, OutputLayout.Report.verify), resources: resources)
    }

    public var isEmpty: Bool { training == nil && inference == nil && verification == nil && resources == nil }

    /// Lines for people, printed after the `ran N steps …` line.
    public var lines: [String] {
        func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
        var lines: [String] = []
        if let inference {
            var text = "test accuracy \(percent(inference.testAccuracy)) (LUT inference, \(inference.testSamples) samples"
            if let validation = inference.validationAccuracy, let rows = inference.validationSamples {
                text += "; validation \(percent(validation)), \(rows) samples"
            }
            text += ")"
            if let training, let trained = training.testAccuracy {
                text += "; quantized network \(percent(trained)) at epoch \(training.selectedEpoch)"
            }
            lines.append(text)
            if let effect = inference.dontCare {
                let change = (effect.filledTestAccuracy - effect.exactTestAccuracy) * 100
                var validation = ""
                if let filled = effect.filledValidationAccuracy, let exact = effect.exactValidationAccuracy {
                    validation = "; validation \(percent(filled)) filled, \(percent(exact)) exact"
                }
                lines.append(
                    "don't-cares: test accuracy \(percent(effect.filledTestAccuracy)) filled, \(percent(effect.exactTestAccuracy)) exact "
                        + "(\(String(format: "%+.2f", change)) points); \(percent(effect.testLookupsOutsideCare)) of test lookups "
                        + "outside the care sets (\(percent(Double(effect.caredEntries) / Double(max(effect.entries, 1)))) of"
                        + " table entries cared for)"
                        + validation
                )
            }
        } else if let training, let trained = training.testAccuracy {
            lines.append("test accuracy \(percent(trained)) (quantized network, epoch \(training.selectedEpoch))")
        }
        if let verification {
            var text =
                "RTL verify: \(verification.mismatches) mismatch\(verification.mismatches == 1 ? "" : "es") in"
                + " \(verification.samples) samples"
            if let accuracy = verification.accuracy { text += ", accuracy \(percent(accuracy))" }
            lines.append(text + " (\(verification.simulator))")
        }
        if let resources {
            // `luts` counts every mapped partition; say how many of them no output depends on.
            let unread =
                (resources.unreadPartitions ?? 0) > 0
                ? "; \(resources.unreadLUTs ?? 0) of them in \(resources.unreadPartitions!) partitions no output depends on,"
                    + " which synthesis removes"
                : ""
            if let exact = resources.exactLUTs {
                let saving = exact > 0 ? Double(exact - resources.luts) / Double(exact) * 100 : 0
                lines.append(
                    "hardware: \(resources.luts) LUTs (mapped partitions, don't-cares filled; \(exact) exact,"
                        + " \(String(format: "%.0f", saving))% saved\(unread)), "
                        + "\(resources.flipFlops) FFs, \(resources.logicLevels) LUT levels")
            } else {
                lines.append(
                    "hardware: \(resources.luts) LUTs (mapped partitions, exact\(unread)), \(resources.flipFlops) FFs,"
                        + " \(resources.logicLevels) LUT levels"
                )
            }
            if let scores = resources.classScores {
                lines.append(
                    "class scores: \(scores.luts) of these LUTs are the compressor trees summing each class's partitions (counted by yosys)"
                )
            }
            if let encoder = resources.encoder {
                lines.append(
                    "input encoder: \(encoder.luts) LUTs more (comparators on raw features, counted by yosys; not in the total above)")
            }
        }
        if let inference {
            lines.append("latency: \(inference.latencyCycles) cycle\(inference.latencyCycles == 1 ? "" : "s")")
        }
        return lines
    }

    /// Compact JSON (sorted keys, snake_case), for the `--json` summary event.
    public func json() throws -> String {
        try DeterministicJSON.line(self)
    }
}
