import Datasets
import Foundation
import NeuraLUT

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

extension Project {
    /// Loads the dataset the project file names, splits it (seeded),
    /// normalises it and checks it against the model. Throws `DatasetError`
    /// for bad data and `ProjectError` for settings that do not fit the data.
    public func prepareData() throws -> PreparedData {
        let settings = config.dataset
        var train = try loadPart(settings.train, labels: settings.trainLabels)
        var test: Dataset
        if let testFile = settings.test {
            test = try loadPart(testFile, labels: settings.testLabels)
            guard test.columns == train.columns else {
                throw DatasetError(
                    file: dataDisplayName(testFile),
                    message: "expected \(train.columns) features (as in \(settings.train)), found \(test.columns)")
            }
        } else {
            var generator = SeededRandom(seed: settings.seed, stream: 0x7E57)
            (train, test) = train.split(holdingOut: settings.testFraction, using: &generator)
        }
        var validationGenerator = SeededRandom(seed: settings.seed, stream: 0x7A1D)
        var (fitting, validation) = train.split(holdingOut: settings.validationFraction, using: &validationGenerator)
        guard fitting.rows > 0 else {
            throw DatasetError(
                file: dataDisplayName(settings.train),
                message: "no rows left for training after the test and validation splits (\(train.rows + test.rows) rows in all)")
        }
        let classes = settings.classes ?? max(fitting.classes, validation.classes, test.classes)
        fitting = fitting.withClasses(classes)
        validation = validation.withClasses(classes)
        test = test.withClasses(classes)
        try check(features: fitting.columns, classes: classes)

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

    /// One file (plus its labels file for IDX/NPY) as a data set.
    private func loadPart(_ file: String, labels: String?) throws -> Dataset {
        let settings = config.dataset
        let name: (URL) -> String = { url in
            url == self.dataURL(file) ? self.dataDisplayName(file) : self.dataDisplayName(labels ?? "")
        }
        switch settings.format {
        case .csv:
            return try CSVLoader.load(
                contentsOf: dataURL(file), labelColumn: settings.label, classes: settings.classes,
                displayName: dataDisplayName(file))
        case .idx:
            return try IDXLoader.load(
                images: dataURL(file), labels: dataURL(labels ?? ""), classes: settings.classes, displayName: name)
        case .npy:
            return try NPYLoader.load(
                features: dataURL(file), labels: dataURL(labels ?? ""), classes: settings.classes, displayName: name)
        }
    }
}
