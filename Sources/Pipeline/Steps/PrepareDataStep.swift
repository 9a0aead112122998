import BuildGraph
import Datasets
import Foundation
import NeuraLUT

/// What the later steps need to know about the prepared data, plus a
/// fingerprint of its content so that steps reading the data depend on it.
struct DataSummary: Codable, Equatable {
    var features: Int
    var classes: Int
    var trainRows: Int
    var validationRows: Int
    var testRows: Int
    /// SHA-256 of the split, normalised features and labels.
    var fingerprint: String
}

/// `data/prepare`: load, split and normalise the dataset, check it against the model.
enum PrepareDataStep {
    static let id = "data/prepare"
    static let output = OutputRefs.summary

    static func make(_ project: Project) throws -> Step {
        let dataset = project.config.dataset
        // Keys and the lock file name data files relative to the project, whatever the project file says.
        var located = dataset
        located.train = projectRelative(dataset.train, in: project.directory)
        located.trainLabels = dataset.trainLabels.map { projectRelative($0, in: project.directory) }
        located.test = dataset.test.map { projectRelative($0, in: project.directory) }
        located.testLabels = dataset.testLabels.map { projectRelative($0, in: project.directory) }
        var inputs: [String: StepInput] = [:]
        for (name, file) in [("train", located.train), ("train_labels", located.trainLabels),
                             ("test", located.test), ("test_labels", located.testLabels)] {
            if let file { inputs[name] = .source(file) }
        }
        struct Checked: Encodable {
            var dataset: DatasetSection
            var firstFanIn: Int?
            var lastPartitions: Int?
            var maxTableBits: Int
        }
        let parameters = try StepCodecs.parameters("dataset", Checked(
            dataset: located, firstFanIn: project.config.model.layerSpecs.first?.fanIn,
            lastPartitions: project.config.model.layers.last?.partitions, maxTableBits: project.config.model.maxTableBits))
        return Step(id: id, kind: "prepare-data", version: 1, parameters: parameters, inputs: inputs,
                    outputs: ["summary"], publish: ["summary": "gen/reports/data.json"]) { context in
            context.progress("loading \(dataset.train)")
            let prepared = try project.prepareData()
            return ["summary": try StepCodecs.json(summary(of: prepared))]
        }
    }

    /// `file` relative to `directory` (`../shared/x.csv` for a file outside
    /// it), so the lock file and step keys are the same on every machine.
    static func projectRelative(_ file: String, in directory: URL) -> String {
        guard file.hasPrefix("/") else { return file }
        let target = URL(fileURLWithPath: file).standardizedFileURL.pathComponents
        let base = directory.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }

    static func summary(of prepared: PreparedData) -> DataSummary {
        var encoder = CanonicalEncoder()
        for part in [prepared.train, prepared.validation, prepared.test] {
            encoder.append(part.rows)
            encoder.append(part.columns)
            encoder.append(part.classes)
            encoder.append(part.features.withUnsafeBufferPointer { Data(buffer: $0) })
            encoder.append(part.labels.withUnsafeBufferPointer { Data(buffer: $0) })
        }
        encoder.append(prepared.normalization.scale.withUnsafeBufferPointer { Data(buffer: $0) })
        encoder.append(prepared.normalization.offset.withUnsafeBufferPointer { Data(buffer: $0) })
        return DataSummary(
            features: prepared.features, classes: prepared.classes, trainRows: prepared.train.rows,
            validationRows: prepared.validation.rows, testRows: prepared.test.rows,
            fingerprint: Digest.of(encoder.bytes).hex)
    }

    static func decode(_ data: Data) throws -> DataSummary {
        try StepCodecs.decodeJSON(DataSummary.self, data, what: "data summary")
    }
}

/// Names of outputs that several steps refer to.
enum OutputRefs {
    static let summary = StepInput.output(step: "data/prepare", name: "summary")
    static let connectivity = StepInput.output(step: "connectivity", name: "connectivity")
    static let quantizers = StepInput.output(step: TrainStep.id, name: TrainStep.quantizersMember)
    static let network = StepInput.output(step: NetworkStep.id, name: "network")

    static func weights(_ id: PartitionID) -> StepInput { .output(step: TrainStep.id, name: TrainStep.memberName(id)) }
    static func table(_ id: PartitionID) -> StepInput { .output(step: TabulateStep.id(id), name: "table") }
}
