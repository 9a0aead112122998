import BuildGraph
import Datasets
import Foundation
import NeuraLUT
import ProjectFile

/// What the later steps need to know about the prepared data, plus a
/// fingerprint of its content so that steps reading the data depend on it.
struct DataSummary: Codable, Equatable {
    var features: Int
    var classes: Int
    var trainRows: Int
    var validationRows: Int
    var testRows: Int
    /// SHA-256 of the prepared data (split, normalised features and labels).
    var fingerprint: String
}

/// `data/prepare`: load, split and normalise the dataset, check it against
/// the model. Its outputs are the only road to the data for later steps:
/// `data` (the prepared numbers, see `PreparedDataCodec`), `feature_names`
/// (JSON) and `summary` (`gen/reports/data.json`).
enum PrepareDataStep: PipelineStep {
    static let id = "data/prepare"
    static let kind = "prepare-data"
    static let version = 2

    struct Parameters: Codable, Sendable {
        /// Data paths relative to the project directory.
        var dataset: DatasetSection
        var fit: DataFitRule
    }

    /// A dataset file, declared under its role (`train`, `test`, …) as the parameters name it.
    static func file(_ role: String) -> StepInputName<Data> { StepInputName(role) }

    static func make(_ project: Project) throws -> Step {
        var dataset = project.locatedDataset
        // Class names only label the report: renaming one must not prepare (and train) again.
        dataset.classNames = nil
        var inputs = StepInputs()
        for (role, path) in dataset.files { inputs.bind(file(role), to: .source(path)) }
        return try step(
            id: id, Parameters(dataset: dataset, fit: DataFitRule(project.config)), inputs: inputs,
            outputs: ["data", "feature_names", "summary"], publish: ["summary": OutputLayout.Report.data])
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        context.progress("loading \(parameters.dataset.train)")
        var files: [String: Data] = [:]
        for (role, _) in parameters.dataset.files { files[role] = try context.read(file(role)) }
        let prepared = try PreparedData.prepare(parameters.dataset, files: files, fit: parameters.fit)
        let data = PreparedDataCodec.encode(prepared)
        return [
            "data": data, "feature_names": try StepCodecs.json(prepared.train.featureNames),
            "summary": try StepCodecs.json(summary(of: prepared, data: data)),
        ]
    }

    /// The summary; its fingerprint is the digest of the `data` output.
    static func summary(of prepared: PreparedData, data: Data) -> DataSummary {
        DataSummary(
            features: prepared.features, classes: prepared.classes, trainRows: prepared.train.rows,
            validationRows: prepared.validation.rows, testRows: prepared.test.rows,
            fingerprint: Digest.of(data).hex)
    }

    static func decode(_ data: Data) throws -> DataSummary {
        try StepCodecs.decodeJSON(DataSummary.self, data, what: "data summary")
    }
}
