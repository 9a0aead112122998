import Datasets
import Diagnostics
import Foundation
import NeuraLUT
import ProjectFile

/// The data a build trains and tests on: split, normalised, checked against the model.
public struct PreparedData: Sendable, Equatable {
    /// Rows training fits on (normalisation is fitted here only).
    public var train: Dataset
    /// Rows carved from the training part for model selection.
    public var validation: Dataset
    public var test: Dataset
    /// The affine front end applied to every part.
    public var normalization: FeatureNormalization

    public var features: Int { train.columns }
    public var classes: Int { train.classes }
}

/// What the data must satisfy for the model: layer 0 reads at most as many
/// features as there are, the last layer has one partition per class.
/// (The diagnostics with keys and lines are `ProjectConfigRules.checkAgainstData`.)
struct DataFitRule: Codable, Sendable, Equatable {
    var firstFanIn: Int?
    var lastPartitions: Int?
    /// Nil (and so absent from the key) unless set: projects without it keep their keys.
    var imageWidth: Int?
    /// How many `[dataset] class_names` there are (one per class); nil unless set.
    var classNames: Int?

    init(_ config: ProjectConfig) {
        firstFanIn = config.model.layerSpecs.first?.fanIn
        lastPartitions = config.model.layers.last?.partitions
        imageWidth = config.model.imageWidth
        classNames = config.dataset.classNames?.count
    }

    /// The gate for `ProjectConfigRules.checkAgainstData`, which words each broken rule.
    func fits(features: Int, classes: Int) -> Bool {
        (firstFanIn ?? 0) <= features && (lastPartitions ?? classes) == classes
            && imageWidth.map { features % $0 == 0 } ?? true
            && classNames.map { $0 == classes } ?? true
    }
}


extension PreparedData {
    /// Parses the data files' bytes (`files`, by role), splits them (seeded),
    /// normalises them and checks them against `fit`. Errors name files by
    /// their path in `settings`: `DatasetError` for bad data,
    /// `DataDoesNotFitModel` for a model that does not fit the data.
    static func prepare(_ settings: DatasetSection, files: [String: Data], fit: DataFitRule) throws -> PreparedData {
        // Both files' problems at once: a bad training file does not hide a bad test file.
        var problems = ScreenfulList<DatasetError>()
        func parsed(data: String, labels: String) throws -> Dataset? {
            do {
                return try parse(settings, files, data: data, labels: labels)
            } catch {
                guard let found = DatasetErrors.problems(of: error) else { throw error }
                problems.append(contentsOf: found)
                return nil
            }
        }
        let parsedTrain = try parsed(data: "train", labels: "train_labels")
        let parsedTest = settings.test == nil ? nil : try parsed(data: "test", labels: "test_labels")
        try DatasetErrors.throwIfAny(problems)  // a file parsed to nil had problems: thrown here
        guard var train = parsedTrain else { throw DatasetErrors(problems) }
        try checkLabelsStartAtZero(train, settings)
        var test: Dataset
        if let testFile = settings.test, let parsedTest {
            test = parsedTest
            guard test.columns == train.columns else {
                throw DatasetError(file: testFile, message: "expected \(train.columns) features (as in \(settings.train)), found \(test.columns)")
            }
        } else {
            var generator = SeededRandom(seed: settings.seed, stream: 0x7E57)
            (train, test) = train.split(holdingOut: settings.testFraction, using: &generator)
        }
        var validationGenerator = SeededRandom(seed: settings.seed, stream: 0x7A1D)
        var (fitting, validation) = train.split(holdingOut: settings.validationFraction, using: &validationGenerator)
        guard fitting.rows > 0 else {
            throw DatasetError(
                file: settings.train,
                message: "no rows left for training after the test and validation splits (\(train.rows + test.rows) rows in all)")
        }
        let classes = settings.classes ?? max(fitting.classes, validation.classes, test.classes)
        fitting = fitting.withClasses(classes)
        validation = validation.withClasses(classes)
        test = test.withClasses(classes)
        guard fit.fits(features: fitting.columns, classes: classes) else {
            throw DataDoesNotFitModel(features: fitting.columns, classes: classes)
        }

        let normalization: FeatureNormalization
        switch settings.normalize {
        case .standard: normalization = .standard(fittedOn: fitting)
        case .mnist: normalization = .mnist(columns: fitting.columns)
        case .none: normalization = .identity(columns: fitting.columns)
        }
        return PreparedData(
            train: normalization.apply(to: fitting), validation: normalization.apply(to: validation),
            test: normalization.apply(to: test), normalization: normalization)
    }

    /// One data file (plus its labels file for IDX/NPY) as a data set.
    private static func parse(_ settings: DatasetSection, _ files: [String: Data], data: String, labels: String) throws -> Dataset {
        let paths = Dictionary(settings.files, uniquingKeysWith: { first, _ in first })
        let dataName = paths[data] ?? data, labelName = paths[labels] ?? labels
        let bytes = files[data] ?? Data(), labelBytes = files[labels] ?? Data()
        switch settings.format {
        case .csv:
            return try CSVLoader.parse(bytes, layout: settings.csvLayout, classes: settings.classes, file: dataName)
        case .idx:
            return try IDXLoader.parse(
                images: bytes, named: dataName, labels: labelBytes, named: labelName, classes: settings.classes,
                labelOffset: settings.labelOffset)
        case .npy:
            return try NPYLoader.parse(
                features: bytes, named: dataName, labels: labelBytes, named: labelName, classes: settings.classes,
                labelOffset: settings.labelOffset)
        }
    }

    /// Class 0 must occur in the training file (unless `classes` says how many
    /// there are): labels counted from 1 would otherwise train an empty class.
    private static func checkLabelsStartAtZero(_ train: Dataset, _ settings: DatasetSection) throws {
        guard settings.classes == nil, let smallest = train.labels.min(), smallest > 0 else { return }
        let file = settings.format == .csv ? settings.train : settings.trainLabels ?? settings.train
        let label = Int(smallest) + settings.labelOffset
        throw DatasetError(
            file: file,
            message: "expected class labels counted from 0, but the smallest label is \(label); set dataset.label_offset = \(label) in \(ProjectConfig.fileName) (labels \(label)… become 0…), or dataset.classes if class 0 is really absent")
    }
}

extension Project {
    /// Loads, splits, normalises and checks the data the project file names,
    /// exactly as the `data/prepare` step does (for tests and tools outside
    /// a build). Throws `DatasetError` for bad data and `ProjectError` for
    /// settings that do not fit the data.
    public func prepareData() throws -> PreparedData {
        do {
            var files: [String: Data] = [:]
            for (role, path) in config.dataset.files {
                do {
                    files[role] = try Data(contentsOf: dataURL(path), options: .mappedIfSafe)
                } catch {
                    throw DatasetError(file: path, message: "cannot read the file (\(error.localizedDescription))")
                }
            }
            return try PreparedData.prepare(config.dataset, files: files, fit: DataFitRule(config))
        } catch {
            throw userFacing(error)
        }
    }
}
