import Diagnostics

/// Why a data file could not be used, precise enough to fix the file:
/// the file, the line (1-based, as an editor shows it) and the column when
/// known, and what was expected.
public struct DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as the user named it (project-relative when it came from a project file).
    public var file: String
    /// 1-based line in a text file (CSV), or nil for binary files and whole-file problems.
    public var line: Int?
    /// Column name (CSV) or other location inside the file, when known.
    public var column: String?
    public var message: String
    /// Set when the labels look numbered from this value instead of 0, so a
    /// caller that is sizing a new project (not building one) can load again with it.
    public var suggestedLabelOffset: Int?

    public init(file: String, line: Int? = nil, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `data/x.csv:14: column 'p3': expected a number, found "abc"`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let column { text += "column \(DataEcho.quoted(column)): " }
        return text + message
    }
}

/// Every problem found in the data at once (bad cells, rows and labels of a
/// CSV file; bad labels of any file), so one run shows every fix needed. At
/// most a screenful is kept and printed, the rest counted (`ScreenfulRule`).
/// A single problem is thrown as its `DatasetError`.
public struct DatasetErrors: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: ScreenfulList<DatasetError>

    public init(_ problems: ScreenfulList<DatasetError>) {
        self.problems = problems
    }

    /// One problem per line, then how many more there are.
    public var description: String {
        (problems.shown.map(\.description) + [problems.moreLine].compactMap { $0 }).joined(separator: "\n")
    }

    /// Throws `problems` when there are any: the `DatasetError` itself when it is the only one.
    public static func throwIfAny(_ problems: ScreenfulList<DatasetError>) throws {
        if problems.total == 1, let only = problems.shown.first { throw only }
        if !problems.isEmpty { throw DatasetErrors(problems) }
    }

    /// The problems `error` reports, when it is a data error (`DatasetError` or `DatasetErrors`).
    public static func problems(of error: any Error) -> ScreenfulList<DatasetError>? {
        switch error {
        case let single as DatasetError: ScreenfulList([single])
        case let several as DatasetErrors: several.problems
        default: nil
        }
    }
}

extension DatasetError: UserFacingError {
    public var userErrors: [UserError] {
        [.input((column.map { "column \(DataEcho.quoted($0)): " } ?? "") + message, location: file + (line.map { ":\($0)" } ?? ""))]
    }
}

extension DatasetErrors: UserFacingError {
    /// Each shown problem, then how many more there are.
    public var userErrors: [UserError] {
        problems.shown.flatMap(\.userErrors) + [problems.moreLine].compactMap { $0.map { .input($0) } }
    }
}
