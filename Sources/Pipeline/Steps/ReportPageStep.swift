import BuildGraph
import Datasets
import Foundation
import NeuraLUT
import ProjectFile

/// `report/html`: `gen/reports/index.html` (`ReportPage`) from the other
/// steps' reports, so it is rebuilt when one of them changes and reused
/// otherwise. Reads `estimate.json` loosely (any `layers` with `luts` and
/// `levels`, and the totals), so it keeps up with the estimate's format.
enum ReportPageStep: PipelineStep {
    static let id = "report/html"
    static let kind = "report-page"
    static let version = 2

    struct Parameters: Codable, Sendable {
        var title: String
        var description: String
        /// `[dataset] class_names`, for the confusion matrix (nil: class numbers).
        var classNames: [String]?
        /// Whether training keeps its best validation epoch (the small-validation warning applies).
        var keepsBestEpoch: Bool
    }

    static let training = StepInputName("training", decode: TrainingReport.decode)
    static let evaluation = StepInputName("evaluate") {
        try StepCodecs.decodeJSON(EvaluateStep.Report.self, $0, what: "evaluation report")
    }
    static let verifyReport = StepInputName("verify") {
        try StepCodecs.decodeJSON(VerifyReport.self, $0, what: "verification report")
    }
    /// The thresholds and estimate reports, read loosely (see `hardware(fromEstimate:)`).
    static let thresholdsJSON = StepInputName("thresholds")
    static let estimateJSON = StepInputName("estimate")

    static func make(_ config: ProjectConfig) throws -> Step {
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.network)
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        inputs.bind(training, to: .output(step: TrainStep.id, name: TrainingReport.jsonMember))
        inputs.bind(evaluation, to: .output(step: EvaluateStep.id, name: "report"))
        inputs.bind(thresholdsJSON, to: .output(step: ThresholdsStep.id, name: "json"))
        inputs.bind(verifyReport, to: .output(step: VerificationSteps.verifyID, name: "report"))
        inputs.bind(estimateJSON, to: .output(step: EstimateStep.id, name: "json"))
        let keepsBestEpoch = config.train.trainingConfig(
            minInputActivity: config.model.minInputActivity,
            imageWidth: config.model.imageWidth
        ).keepsBestEpoch
        return try step(
            id: id,
            Parameters(
                title: config.project.name, description: config.project.description,
                classNames: config.dataset.classNames, keepsBestEpoch: keepsBestEpoch),
            inputs: inputs, outputs: ["html"], publish: ["html": OutputLayout.Report.page])
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let network = try context.read(CommonInputs.network)
        let prepared = try context.read(CommonInputs.data)
        let test = prepared.test
        let training = try context.read(Self.training)
        let evaluation = try context.read(Self.evaluation)
        var page = ReportPage(
            title: parameters.title, description: parameters.description,
            epochs: training.epochs.map {
                ReportPage.Epoch(
                    epoch: $0.epoch, loss: $0.loss, train: $0.trainAccuracy, validation: $0.validationAccuracy, test: $0.testAccuracy)
            },
            selectedEpoch: training.epochs.isEmpty ? nil : training.selectedEpoch,
            confusion: try confusion(network, test), testAccuracy: evaluation.testAccuracy,
            latencyCycles: evaluation.latencyCycles, verification: nil, verificationPassed: false,
            hardware: [], estimateSource: nil, thresholds: thresholds(try context.read(thresholdsJSON)),
            classNames: parameters.classNames ?? [],
            warnings: warnings(parameters, network: network, validationRows: prepared.validation.rows))
        let verification = try context.read(verifyReport)
        page.verification = "\(verification.mismatches) mismatches in \(verification.samples) samples (\(verification.simulator))"
        page.verificationPassed = verification.mismatches == 0
        (page.hardware, page.estimateSource) = hardware(fromEstimate: try context.read(estimateJSON))
        return ["html": Data(page.html.utf8)]
    }

    /// The build's warnings about its results, worked out from this step's
    /// inputs (`ResultWarnings`), each under the step that prints it.
    static func warnings(_ parameters: Parameters, network: LUTNetwork, validationRows: Int) -> [String] {
        let layers = network.spec.layers.map(LayerWiring.init)
        return ResultWarnings.unreadOutputs(network.connectivity, layers: layers).map { "\(ConnectivityStep.id): \($0)" }
            + [ResultWarnings.smallValidation(rows: validationRows, keepsBestEpoch: parameters.keepsBestEpoch)]
            .compactMap { $0.map { "\(TrainStep.id): \($0)" } }
    }

    /// `matrix[t][p]`: test rows of class t the LUT network classifies as p.
    static func confusion(_ network: LUTNetwork, _ test: Dataset) throws -> [[Int]] {
        let classes = max(test.classes, network.spec.classes)
        var matrix = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (row, predicted) in try network.classify(dataset: test).enumerated() where predicted < classes {
            matrix[Int(test.labels[row])][predicted] += 1
        }
        return matrix
    }

    static func thresholds(_ data: Data) -> [ReportPage.Threshold] {
        let features = object(data)?["features"] as? [[String: Any]] ?? []
        return features.map { feature in
            ReportPage.Threshold(
                name: feature["name"] as? String ?? "\(int(feature, ["index"]) ?? 0)",
                values: (feature["thresholds"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue })
        }
    }

    /// The estimate's layers (top level or one object down) and totals; an
    /// unreadable estimate gives no rows and says so.
    static func hardware(fromEstimate data: Data) -> ([ReportPage.HardwareRow], String) {
        guard let estimate = object(data) else { return ([], "estimate.json could not be read") }
        let nested = estimate.keys.sorted().compactMap { estimate[$0] as? [String: Any] }
        let layers = (estimate["layers"] as? [[String: Any]]) ?? nested.lazy.compactMap { $0["layers"] as? [[String: Any]] }.first ?? []
        let levelKeys = ["levels", "lutLevels", "logicLevels", "logicDepth"]
        var rows = layers.enumerated().map { index, layer in
            ReportPage.HardwareRow(
                name: "layer \(int(layer, ["layer"]) ?? index)", partitions: int(layer, ["partitions"]),
                luts: int(layer, ["luts"]), levels: int(layer, levelKeys), flipFlops: int(layer, ["flipFlops"]))
        }
        let partitions = rows.compactMap(\.partitions)
        if let encoder = estimate["encoder"] as? [String: Any] {
            // Counted apart: the total row stays the mapped partitions'.
            rows.append(
                ReportPage.HardwareRow(
                    name: "input encoder (not in total)", partitions: nil, luts: int(encoder, ["luts"]),
                    levels: int(encoder, ["logicDepth"]), flipFlops: 0))
        }
        rows.append(
            ReportPage.HardwareRow(
                name: "total", partitions: partitions.isEmpty ? nil : partitions.reduce(0, +),
                luts: int(estimate, ["luts"]), levels: int(estimate, ["logicLevels", "logicDepth", "levels"]),
                flipFlops: int(estimate, ["flipFlops"])))
        let family = (estimate["family"] as? String).map { " for \($0)" } ?? ""
        return (rows, "Estimate\(family) from gen/reports/estimate.json")
    }

    private static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private static func int(_ object: [String: Any], _ keys: [String]) -> Int? {
        keys.lazy.compactMap { (object[$0] as? NSNumber)?.intValue }.first
    }
}
