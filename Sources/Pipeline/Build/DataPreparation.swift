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
/// features as there are, the last layer has one partition per class (k
/// with `model.partitions_per_class` = k).
/// (The diagnostics with keys and lines are `ProjectConfigRules.checkAgainstData`.)
struct DataFitRule: Codable, Sendable, Equatable {
    var firstFanIn: Int?
    var lastPartitions: Int?
    /// Nil (and so absent from the key) unless set: projects without it keep their keys.
    var imageWidth: Int?
    /// Nil (and so absent from the key) unless above 1, likewise.
    var imageChannels: Int?
    /// How many `[dataset] class_names` there are (one per class); nil unless set.
    var classNames: Int?
    /// `model.partitions_per_class`; nil unless above 1, so projects without it keep their keys.
    var partitionsPerClass: Int?

    init(_ config: ProjectConfig) {
        firstFanIn = config.model.layerSpecs.first?.fanIn
        lastPartitions = config.model.layers.last?.partitions
        imageWidth = config.model.imageWidth
        imageChannels = config.model.interleavedChannels
        classNames = config.dataset.classNames?.count
        partitionsPerClass = config.model.networkShape.partitionsPerClass
    }

    /// The gate for `ProjectConfigRules.checkAgainstData`, which words each broken rule.
    func fits(features: Int, classes: Int) -> Bool {
        let partitions = classes * (partitionsPerClass ?? 1)
        return (firstFanIn ?? 0) <= features && (lastPartitions ?? partitions) == partitions
            && ImageGeometry(width: imageWidth, channels: imageChannels).map { $0.fits(features: features) } ?? true
            && classNames.map { $0 == classes } ?? true
    }
}

/// The rows each part of the split needs: at least one to test on (the
/// testbench and the accuracy need one) and `Trainer.minimumTrainingRows` to
/// train on. Data too small for the split is refused here, at the data step,
/// rather than by training or the testbench later.
struct SplitRule {
    var settings: DatasetSection

    init(_ settings: DatasetSection) { self.settings = settings }

    /// The rows each part gets from `rows` rows of the training file.
    func parts(of rows: Int) -> (fitting: Int, validation: Int, test: Int) {
        let test = settings.test == nil ? Dataset.heldOutRows(of: rows, fraction: settings.testFraction) : 0
        let validation = Dataset.heldOutRows(of: rows - test, fraction: settings.validationFraction)
        return (rows - test - validation, validation, test)
    }

    /// The fewest training-file rows that leave every part enough.
    var minimumRows: Int {
        var rows = Trainer.minimumTrainingRows
        while rows < 1_000_000 {
            let split = parts(of: rows)
            if split.fitting >= Trainer.minimumTrainingRows && (settings.test != nil || split.test >= 1) { break }
            rows += 1
        }
        return rows
    }

    /// Throws a `DatasetError` on the training file when a part is too small.
    func check(fitting: Int, validation: Int, test: Int) throws {
        guard fitting < Trainer.minimumTrainingRows || test < 1 else { return }
        let rows = fitting + validation + (settings.test == nil ? test : 0)
        func fraction(_ value: Double) -> String { String(format: "%g", value) }
        let testPart =
            settings.test == nil
            ? "dataset.test_fraction = \(fraction(settings.testFraction)) holds out \(test) to test on, " : ""
        throw DatasetError(
            file: settings.train,
            message:
                "\(rows == 1 ? "1 row is" : "\(rows) rows are") too few for the split: \(testPart)dataset.validation_fraction ="
                + " \(fraction(settings.validationFraction)) "
                + "holds out \(validation) to select the model on, and \(fitting) are left to train on; expected at least "
                + "\(minimumRows) rows (at least 1 to test on and \(Trainer.minimumTrainingRows) to train on)")
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
                throw DatasetError(
                    file: testFile, message: "expected \(train.columns) features (as in \(settings.train)), found \(test.columns)")
            }
        } else {
            var generator = SeededRandom(seed: settings.seed, stream: 0x7E57)
            (train, test) = train.split(holdingOut: settings.testFraction, using: &generator)
        }
        var validationGenerator = SeededRandom(seed: settings.seed, stream: 0x7A1D)
        var (fitting, validation) = train.split(holdingOut: settings.validationFraction, using: &validationGenerator)
        try SplitRule(settings).check(fitting: fitting.rows, validation: validation.rows, test: test.rows)
        let classes = settings.classes ?? max(fitting.classes, validation.classes, test.classes)
        if let problem = ClassCount.tooFew(classes, label: settings.labelOffset, rows: fitting.rows + validation.rows + test.rows) {
            throw DatasetError(file: settings.format == .csv ? settings.train : settings.trainLabels ?? settings.train, message: problem)
        }
        fitting = fitting.withClasses(classes)
        validation = validation.withClasses(classes)
        test = test.withClasses(classes)
        guard fit.fits(features: fitting.columns, classes: classes) else {
            throw DataDoesNotFitModel(features: fitting.columns, classes: classes)
        }
        if let grid = settings.valueGrid {
            fitting = grid.apply(to: fitting)
            validation = grid.apply(to: validation)
            test = grid.apply(to: test)
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
            message:
                "expected class labels counted from 0, but the smallest label is \(label); set dataset.label_offset = \(label)"
                + " in \(ProjectConfig.fileName) (labels \(label)… become 0…), or dataset.classes if class 0 is really absent"
        )
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
