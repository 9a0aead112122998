import BuildGraph
import Datasets
import Foundation
import NeuraLUT
import ProjectFile
import Synthesis

/// `report/html`: `gen/reports/index.html` (`ReportPage`) from the other
/// steps' reports, so it is rebuilt when one of them changes and reused
/// otherwise. Each report is read as the type its step writes
/// (`MappedEstimate`, `InputThresholds`, `VerifyReport`, …).
enum ReportPageStep: PipelineStep {
    static let id = "report/html"
    static let kind = "report-page"
    /// 3: the estimate and the thresholds read as their own types.
    static let version = 4

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
    static let thresholdsJSON = StepInputName("thresholds") {
        try StepCodecs.decodeJSON(InputThresholds.self, $0, what: "input thresholds")
    }
    static let estimateJSON = StepInputName("estimate") {
        try StepCodecs.decodeJSON(MappedEstimate.self, $0, what: "hardware estimate")
    }

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
            minInputActivity: config.model.minInputActivity, image: config.model.image
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
        page.validationAccuracy = evaluation.validationAccuracy
        page.validationSamples = evaluation.validationSamples
        let verification = try context.read(verifyReport)
        page.verification = "\(verification.mismatches) mismatches in \(verification.samples) samples (\(verification.simulator))"
        page.verificationPassed = verification.mismatches == 0
        page.hardware = hardware(from: try context.read(estimateJSON))
        page.estimateSource = Self.estimateSource
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

    static func thresholds(_ thresholds: InputThresholds) -> [ReportPage.Threshold] {
        thresholds.features.map { ReportPage.Threshold(name: $0.name, values: $0.thresholds) }
    }

    /// The estimate's layers, the input encoder (counted apart) and the totals.
    static func hardware(from estimate: MappedEstimate) -> [ReportPage.HardwareRow] {
        var rows = estimate.layers.map { layer in
            ReportPage.HardwareRow(
                name: "layer \(layer.layer)", partitions: layer.partitions, luts: layer.luts, levels: layer.levels,
                flipFlops: layer.flipFlops)
        }
        if let scores = estimate.classScores {
            // In the total: the adders are part of the network's logic.
            rows.append(
                ReportPage.HardwareRow(
                    name: "class scores (adders)", partitions: nil, luts: scores.luts, levels: scores.logicDepth, flipFlops: 0))
        }
        if let encoder = estimate.encoder {
            // Counted apart: the total row stays the mapped partitions'.
            rows.append(
                ReportPage.HardwareRow(
                    name: "input encoder (not in total)", partitions: nil, luts: encoder.luts, levels: encoder.logicDepth, flipFlops: 0))
        }
        rows.append(
            ReportPage.HardwareRow(
                name: "total", partitions: estimate.layers.map(\.partitions).reduce(0, +), luts: estimate.luts,
                levels: estimate.logicLevels, flipFlops: estimate.flipFlops))
        return rows
    }

    /// Where the hardware rows come from, for the page.
    static let estimateSource = "Estimate from gen/reports/estimate.json (lutbuild's count of the mapped partitions)"
}
