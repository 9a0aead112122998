import Foundation

/// A data file's format, told by its content (gzip-compressed or not).
public enum DataFileFormat: String, Sendable, Hashable, CaseIterable {
    case csv, idx, npy

    /// `\x93NUMPY` is NPY; an IDX magic (`00 00 08 nn`) is IDX; anything else is read as CSV.
    public static func detect(_ url: URL, displayName: String) throws -> DataFileFormat {
        let bytes = try FileBytes.read(url, displayName: displayName)
        if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) { return .npy }
        if bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08, bytes[3] >= 1 { return .idx }
        return .csv
    }
}

/// What a CSV file looks like before a project names its layout: whether it
/// has a header, and which column holds the class labels. `lutbuild init`
/// writes the answer into the project file.
public struct CSVSniff: Sendable, Equatable {
    public var layout: CSVLayout
    /// Every column's name (from the header, or `c0`, `c1`, … without one).
    public var columns: [String]
    /// The label column's index in `columns`.
    public var labelIndex: Int
    /// Why that column ("its name", …): said to the user and written as a comment.
    public var labelReason: String
    /// Class names from a scikit-learn header line, in class order.
    public var classNames: [String]
    /// The smallest label among the rows looked at (the first `sampleRows`).
    public var smallestLabel: Int

    /// Rows read to tell the label column (the whole file is loaded later anyway).
    public static let sampleRows = 20_000
    /// Header names taken to be the label without asking (compared case-insensitively).
    public static let labelNames = ["label", "labels", "target", "class", "classes", "y", "digit", "category", "outcome"]

    /// Looks at `url`; `label` is the user's choice of label column, if any.
    /// Throws `DatasetError` when the label column cannot be told or does not exist.
    public static func sniff(_ url: URL, label: LabelColumn?, displayName: String) throws -> CSVSniff {
        try CSVLoader.withParser(FileBytes.read(url, displayName: displayName), file: displayName) { parser in
            try parser.sniff(label: label)
        }
    }
}

extension CSVParser {
    /// One non-blank line's cells: text, and the number when the cell is one.
    struct SampleRow {
        var texts: [String]
        var numbers: [Double?]
    }

    mutating func sampleRow() -> SampleRow? {
        while let range = nextLine() {
            if isBlank(range) { continue }
            let cells = cells(in: range)
            return SampleRow(texts: cells.map { cellText($0) }, numbers: cells.map { try? number(in: $0, column: "") })
        }
        return nil
    }

    mutating func sniff(label: LabelColumn?) throws -> CSVSniff {
        guard let first = sampleRow() else {
            throw DatasetError(file: file, message: "expected rows of numbers, but the file is empty")
        }
        var rows: [SampleRow] = []
        while rows.count < CSVSniff.sampleRows, let row = sampleRow() { rows.append(row) }
        guard let second = rows.first else {
            throw DatasetError(file: file, message: "expected a header and data rows, or data rows, but the file has only one line")
        }
        var layout = CSVLayout(label: label ?? .index(-1))
        var classNames: [String] = []
        var reason = ""
        let columns: [String]
        if let features = Self.scikitLearnFeatureCount(first, second) {
            // `rows,features,class names…`, then rows of features and the label last.
            layout.header = false
            layout.skipLines = 1
            classNames = Array(first.texts.dropFirst(2))
            columns = (0...features).map(CSVLayout.columnName)
            reason = "scikit-learn's layout (the last column)"
        } else if first.numbers.contains(where: { $0 == nil }) {
            columns = first.texts
        } else {
            layout.header = false
            rows.insert(first, at: 0)
            columns = (0..<first.texts.count).map(CSVLayout.columnName)
        }
        let labelIndex: Int
        if let label {
            labelIndex = try resolve(label, among: columns, header: layout.header, line: 1 + layout.skipLines)
            reason = "--label \(label.argument)"
        } else if !classNames.isEmpty {
            labelIndex = columns.count - 1
        } else if layout.header, let named = columns.firstIndex(where: { CSVSniff.labelNames.contains($0.lowercased()) }) {
            labelIndex = named
            reason = "its name"
        } else {
            labelIndex = try Self.onlyClassLikeColumn(in: rows, columns: columns, file: file)
            reason = "being the only integer column with few values"
        }
        // Named when the file has names; else the index as asked, or -1 for the last column.
        switch (layout.header, label) {
        case (true, _): layout.label = .name(columns[labelIndex])
        case (false, .index(let index)?): layout.label = .index(index)
        case (false, _): layout.label = .index(labelIndex == columns.count - 1 ? -1 : labelIndex)
        }
        let labels = rows.compactMap { $0.numbers.count == columns.count ? $0.numbers[labelIndex] : nil }
        return CSVSniff(
            layout: layout, columns: columns, labelIndex: labelIndex, labelReason: reason,
            classNames: classNames, smallestLabel: Int(labels.min() ?? 0))
    }

    /// The feature count when `first` is scikit-learn's `rows,features,names…`
    /// line and `second` a row of that many features plus a label.
    static func scikitLearnFeatureCount(_ first: SampleRow, _ second: SampleRow) -> Int? {
        guard first.numbers.count >= 2, let rows = first.numbers[0], let features = first.numbers[1],
            rows == rows.rounded(), features == features.rounded(), features >= 1, features < 1e7,
            second.texts.count == Int(features) + 1, first.texts.count != second.texts.count,
            first.numbers.dropFirst(2).allSatisfy({ $0 == nil })
        else { return nil }
        return Int(features)
    }

    /// The one column whose values are all integers with few distinct values
    /// (at most a tenth of the rows, 2…100); throws when there are none or several.
    static func onlyClassLikeColumn(in rows: [SampleRow], columns: [String], file: String) throws -> Int {
        let limit = min(100, max(2, rows.count / 10))
        var candidates: [Int] = []
        for c in columns.indices {
            var values = Set<Double>()
            var classLike = true
            for row in rows where row.numbers.count == columns.count {
                guard let v = row.numbers[c], v == v.rounded() else {
                    classLike = false
                    break
                }
                values.insert(v)
                if values.count > limit {
                    classLike = false
                    break
                }
            }
            if classLike && values.count >= 2 { candidates.append(c) }
        }
        let how = "name it with --label NAME, or --label INDEX (0-based; -1 is the last column)"
        switch candidates.count {
        case 1: return candidates[0]
        case 0:
            throw DatasetError(
                file: file,
                message:
                    "cannot tell which column holds the class labels: no column has only integers with at most \(limit) distinct"
                    + " values; \(how). The \(columns.count) columns are: \(CSVLoader.compactList(columns))"
            )
        default:
            throw DatasetError(
                file: file,
                message:
                    "cannot tell which column holds the class labels: \(candidates.count) columns have only integers with few"
                    + " distinct values (\(CSVLoader.compactList(candidates.map { columns[$0] }))); \(how)"
            )
        }
    }
}

extension LabelColumn {
    /// How `--label` spells it.
    public var argument: String {
        switch self {
        case .name(let name): name
        case .index(let index): String(index)
        }
    }

    /// `--label` text: an integer is an index, anything else a name.
    public init(argument: String) {
        self = Int(argument).map(LabelColumn.index) ?? .name(argument)
    }
}
