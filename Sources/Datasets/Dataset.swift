/// A labelled table of float features, row-major: the one in-memory form every
/// loader produces and training consumes.
public struct Dataset: Sendable, Equatable {
    /// `rows × columns` values, row after row.
    public var features: [Float]
    /// One class index per row, in `0..<classes`.
    public var labels: [Int32]
    public var rows: Int
    public var columns: Int
    public var classes: Int
    public var featureNames: [String]

    public init(features: [Float], labels: [Int32], rows: Int, columns: Int, classes: Int, featureNames: [String]) {
        precondition(features.count == rows * columns && labels.count == rows)
        self.features = features
        self.labels = labels
        self.rows = rows
        self.columns = columns
        self.classes = classes
        self.featureNames = featureNames
    }

    /// The features of row `row`.
    public func row(_ row: Int) -> ArraySlice<Float> {
        features[row * columns..<(row + 1) * columns]
    }
}

/// Training and test parts of a data set.
public struct DatasetSplit: Sendable, Equatable {
    public var train: Dataset
    public var test: Dataset

    public init(train: Dataset, test: Dataset) {
        self.train = train
        self.test = test
    }
}
