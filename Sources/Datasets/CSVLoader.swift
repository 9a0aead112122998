import Diagnostics
import Foundation

/// Which column of a CSV file holds the class label.
public enum LabelColumn: Sendable, Hashable, CustomStringConvertible {
    /// A name from the header row.
    case name(String)
    /// A 0-based column index; negative counts from the end (-1 is the last column).
    case index(Int)

    /// `'digit'` or `#3`, as messages quote it.
    public var description: String {
        switch self {
        case .name(let name): DataEcho.quoted(name)
        case .index(let index): "#\(index)"
        }
    }
}

extension LabelColumn: ExpressibleByStringLiteral {
    public init(stringLiteral name: String) { self = .name(name) }
}

/// Encoded as a plain string (a name) or integer (an index), as the project file writes it.
extension LabelColumn: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let index = try? container.decode(Int.self) {
            self = .index(index)
        } else {
            self = .name(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .name(let name): try container.encode(name)
        case .index(let index): try container.encode(index)
        }
    }
}

/// How a CSV file is laid out around its numbers.
public struct CSVLayout: Sendable, Hashable {
    /// The first (non-skipped) line names the columns. Without a header,
    /// columns are named by their 0-based index: `c0`, `c1`, …
    public var header: Bool
    /// Lines to skip before the header or the data (e.g. scikit-learn's
    /// `rows,features,class names…` line).
    public var skipLines: Int
    public var label: LabelColumn
    /// Subtracted from every label (1 for labels counted from 1).
    public var labelOffset: Int

    public init(label: LabelColumn, header: Bool = true, skipLines: Int = 0, labelOffset: Int = 0) {
        self.label = label
        self.header = header
        self.skipLines = skipLines
        self.labelOffset = labelOffset
    }

    /// The name of column `index` when the file has no header.
    public static func columnName(_ index: Int) -> String { "c\(index)" }
}

/// Comma-separated values: one column holds the class label (an integer ≥ 0
/// after `labelOffset`), every other column a numeric feature.
public enum CSVLoader {
    /// Loads `url` laid out as `layout`.
    ///
    /// - Parameters:
    ///   - classes: the number of classes when known (labels must be below it);
    ///     when nil, the largest label + 1.
    ///   - displayName: how errors name the file (e.g. project-relative).
    public static func load(
        contentsOf url: URL, layout: CSVLayout, classes: Int? = nil, displayName: String? = nil
    ) throws -> Dataset {
        let name = displayName ?? url.path
        return try parse(FileBytes.read(url, displayName: name), layout: layout, classes: classes, file: name)
    }

    /// Loads a file with a header row; `labelColumn` names the label column.
    public static func load(
        contentsOf url: URL, labelColumn: String, classes: Int? = nil, displayName: String? = nil
    ) throws -> Dataset {
        try load(contentsOf: url, layout: CSVLayout(label: .name(labelColumn)), classes: classes, displayName: displayName)
    }

    /// Parses a file's bytes (raw or gzip); `file` names the source in errors.
    public static func parse(_ data: Data, layout: CSVLayout, classes: Int? = nil, file: String) throws -> Dataset {
        try parse(FileBytes.decode(data, displayName: file), layout: layout, classes: classes, file: file)
    }

    /// Parses a file's bytes (raw or gzip) with a header row naming `labelColumn`.
    public static func parse(_ data: Data, labelColumn: String, classes: Int? = nil, file: String) throws -> Dataset {
        try parse(data, layout: CSVLayout(label: .name(labelColumn)), classes: classes, file: file)
    }

    /// Parses CSV bytes; `file` names the source in errors.
    public static func parse(_ bytes: [UInt8], layout: CSVLayout, classes: Int? = nil, file: String) throws -> Dataset {
        try withParser(bytes, file: file) { try $0.parse(layout: layout, classes: classes) }
    }

    /// Parses CSV bytes with a header row.
    public static func parse(_ bytes: [UInt8], labelColumn: String, classes: Int? = nil, file: String) throws -> Dataset {
        try parse(bytes, layout: CSVLayout(label: .name(labelColumn)), classes: classes, file: file)
    }

    /// Runs `body` with a parser over `bytes`.
    static func withParser<T>(_ bytes: [UInt8], file: String, _ body: (inout CSVParser) throws -> T) throws -> T {
        var text = bytes
        text.append(0)  // strtod needs a terminator after the last cell
        return try text.withUnsafeBufferPointer { buffer in
            var parser = CSVParser(buffer: buffer, contentLength: buffer.count - 1, file: file)
            return try body(&parser)
        }
    }

    /// `p0 … p63, digit`: names in order, with runs of a prefix and counting
    /// numbers (`p0, p1, …, p63`) shortened, so that a list of every column fits a line or two.
    /// Names come from the file, so each is shown cut and escaped (`DataEcho.shown`).
    public static func compactList(_ names: [String]) -> String {
        func shown(_ name: String) -> String { DataEcho.shown(name) }
        func split(_ name: String) -> (prefix: Substring, number: Int)? {
            let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count < 10, let number = Int(String(digits.reversed())) else { return nil }
            return (name.dropLast(digits.count), number)
        }
        var parts: [String] = []
        var i = 0
        while i < names.count {
            var j = i
            if let first = split(names[i]) {
                while j + 1 < names.count, let next = split(names[j + 1]),
                    next.prefix == first.prefix, next.number == first.number + (j + 1 - i)
                { j += 1 }
            }
            parts.append(j - i >= 2 ? "\(shown(names[i])) … \(shown(names[j]))" : names[i...j].map(shown).joined(separator: ", "))
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}

/// Walks the bytes once: records are found with `memchr` (line ends, and
/// whether the line has a quote at all), cells by scanning for commas, and
/// numbers are parsed in place with `strtod`. Quoted cells (RFC 4180: commas,
/// doubled quotes and line breaks inside quotes) take a slower path that only
/// lines with a `"` pay for.
struct CSVParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let contentLength: Int
    let file: String
    var position = 0
    /// The line the last record returned by `nextLine` starts on (1-based).
    var line = 0
    /// The line the next record starts on: after a quoted line break, more than `line + 1`.
    var nextLineNumber = 1
    /// Set when the last record opens a quoted cell that the file never closes
    /// (the record then ends at its first line break, as if the quote were text).
    var unclosedQuote = false
    /// After one quote was found never closed, records are single lines: a
    /// scan to the end of the file per line would make a bad file quadratic.
    var quotesSpanLines = true
    /// The cells the quoted scan found for the last record, so `cells(in:)` does not scan it twice.
    var scannedRecord: (range: Range<Int>, cells: [Range<Int>])?

    init(buffer: UnsafeBufferPointer<UInt8>, contentLength: Int, file: String) {
        self.buffer = buffer
        self.contentLength = contentLength
        self.file = file
        // Skip a UTF-8 byte-order mark.
        if contentLength >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
    }

    mutating func parse(layout: CSVLayout, classes: Int?) throws -> Dataset {
        skip(lines: layout.skipLines)
        let names: [String]
        let headerLine = nextLineNumber
        if layout.header {
            guard let header = nextLine() else {
                throw DatasetError(file: file, message: "expected a header row naming the columns, but the file is empty")
            }
            names = cells(in: header).map { cellText($0) }
            if let duplicate = firstDuplicate(names) {
                throw DatasetError(file: file, line: headerLine, column: duplicate, message: "the header names this column twice")
            }
        } else {
            names = (0..<peekCellCount()).map(CSVLayout.columnName)
        }
        let labelIndex = try resolve(layout.label, among: names, header: layout.header, line: headerLine)
        let labelColumn = names[labelIndex]
        let featureNames = names.enumerated().filter { $0.offset != labelIndex }.map(\.element)
        var features: [Float] = []
        var labels: [Int32] = []
        var labelLines: [Int] = []
        features.reserveCapacity(contentLength / 3)
        // Every bad row and cell is reported, not just the first (a screenful is kept).
        var problems = ScreenfulList<DatasetError>()
        while let range = nextLine() {
            if isBlank(range) { continue }
            let row = cells(in: range)
            if unclosedQuote {
                problems.append(
                    DatasetError(
                        file: file, line: line,
                        message:
                            "a quoted cell opens here (with \") but is never closed; close it, or double a quote inside a quoted"
                            + " cell (\"\")"
                    ))
                continue
            }
            guard row.count == names.count else {
                problems.append(
                    DatasetError(
                        file: file, line: line,
                        message:
                            "expected \(names.count) cells (as in \(layout.header ? "the header" : "the first row")), found \(row.count)"))
                continue
            }
            for (c, cell) in row.enumerated() {
                do {
                    let value = try number(in: cell, column: names[c])
                    if c == labelIndex {
                        labels.append(try label(value, in: cell, column: names[c], offset: layout.labelOffset, classes: classes))
                        labelLines.append(line)
                    } else {
                        guard Float(value).isFinite else {
                            throw DatasetError(
                                file: file, line: line, column: names[c],
                                message:
                                    "expected a number within single-precision range (±3.4e38), found \(DataEcho.quoted(cellText(cell)))")
                        }
                        features.append(Float(value))
                    }
                } catch let problem as DatasetError {
                    problems.append(problem)
                }
            }
        }
        try DatasetErrors.throwIfAny(problems)
        guard !labels.isEmpty else {
            let empty =
                layout.header
                ? "expected at least one data row after the header, found none" : "expected at least one data row, but the file is empty"
            throw DatasetError(file: file, message: empty)
        }
        let classCount = try LabelCheck.classes(of: labels, declared: classes, offset: layout.labelOffset) { index, message in
            DatasetError(file: file, line: labelLines[index], column: labelColumn, message: message)
        }
        return Dataset(
            features: features, labels: labels, rows: labels.count, columns: featureNames.count,
            classes: classCount, featureNames: featureNames)
    }

    /// A label cell's value as a class, shifted down by `offset` (see `LabelCheck`).
    func label(_ value: Double, in cell: Range<Int>, column: String, offset: Int, classes: Int?) throws -> Int32 {
        guard value == value.rounded(), abs(value - Double(offset)) < Double(Int32.max) else {
            throw DatasetError(
                file: file, line: line, column: column, message: "expected an integer class label, found \(DataEcho.quoted(cellText(cell)))"
            )
        }
        let label = Int32(value - Double(offset))
        if let problem = LabelCheck.problem(with: label, declared: classes, offset: offset) {
            throw DatasetError(file: file, line: line, column: column, message: problem)
        }
        return label
    }

    /// The label's column index among `names`; a name not found gets a
    /// did-you-mean and the list of every column.
    func resolve(_ label: LabelColumn, among names: [String], header: Bool, line: Int) throws -> Int {
        switch label {
        case .name(let name):
            guard header else {
                throw DatasetError(
                    file: file,
                    message:
                        "the file has no header row, so the label column cannot be named '\(name)'; expected a column index"
                        + " (0-based, -1 for the last of \(names.count) columns)"
                )
            }
            if let index = names.firstIndex(of: name) { return index }
            // One- and two-letter names are each other's near misses: no guess for those.
            let guess = name.count > 2 ? EditDistance.closest(to: name, among: names) : nil
            throw DatasetError(
                file: file, line: line,
                message:
                    "expected a label column named '\(name)' in the"
                    + " header\(guess.map { " (did you mean \(DataEcho.quoted($0))?)" } ?? ""); the \(names.count) columns"
                    + " are: \(CSVLoader.compactList(names))"
            )
        case .index(let index):
            guard (-names.count..<names.count).contains(index) else {
                throw DatasetError(
                    file: file, line: line,
                    message: "expected a label column index in 0…\(names.count - 1) (or -1 … -\(names.count) from the end), "
                        + "found \(index)")
            }
            return index < 0 ? names.count + index : index
        }
    }

    /// Skips `count` lines.
    mutating func skip(lines count: Int) {
        for _ in 0..<count { _ = nextLine() }
    }

    /// The number of cells in the next non-blank line, without consuming it.
    mutating func peekCellCount() -> Int {
        let saved = (position, line, nextLineNumber, unclosedQuote, quotesSpanLines, scannedRecord)
        defer { (position, line, nextLineNumber, unclosedQuote, quotesSpanLines, scannedRecord) = saved }
        while let range = nextLine() {
            if !isBlank(range) { return cells(in: range).count }
        }
        return 0
    }

    /// The next record's byte range (without the line break), or nil at the
    /// end. A record is one line unless a quoted cell holds a line break.
    mutating func nextLine() -> Range<Int>? {
        guard position < contentLength else { return nil }
        line = nextLineNumber
        unclosedQuote = false
        let start = position
        var end = offset(of: UInt8(ascii: "\n"), from: start, to: contentLength) ?? contentLength
        var scannedCells: [Range<Int>]?  // set by a quoted scan that closed
        if offset(of: quote, from: start, to: end) != nil {
            let scan = scanQuoted(from: start, to: quotesSpanLines ? contentLength : end)
            if scan.closed {
                end = scan.end
                nextLineNumber += scan.lineBreaks
                scannedCells = scan.cells
            } else {
                unclosedQuote = true
                quotesSpanLines = false
            }
        }
        nextLineNumber += 1
        position = end + 1
        if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        scannedRecord = scannedCells.map { cells in
            var cells = cells
            // The last cell ends where the record does (without a trailing \r).
            if let last = cells.last, last.upperBound > end { cells[cells.count - 1] = last.lowerBound..<max(last.lowerBound, end) }
            return (start..<end, cells)
        }
        return start..<end
    }

    /// The cells of a record: split at every comma, or, when the record has a
    /// quote, at the commas outside quoted cells.
    func cells(in range: Range<Int>) -> [Range<Int>] {
        if let scanned = scannedRecord, scanned.range == range { return scanned.cells }
        if offset(of: quote, from: range.lowerBound, to: range.upperBound) != nil {
            return scanQuoted(from: range.lowerBound, to: range.upperBound).cells
        }
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for i in range where buffer[i] == UInt8(ascii: ",") {
            result.append(start..<i)
            start = i + 1
        }
        result.append(start..<range.upperBound)
        return result
    }

    private var quote: UInt8 { UInt8(ascii: "\"") }

    /// The first `byte` in `start..<end`, found with `memchr`.
    private func offset(of byte: UInt8, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = buffer.baseAddress,
            let found = memchr(base + start, Int32(byte), end - start)
        else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// RFC 4180 from `start`: a cell that begins (after blanks) with a quote
    /// runs to the quote that closes it, `""` inside being one quote; commas
    /// and line breaks inside it are text. Stops at the first line break
    /// outside quotes, or at `limit`.
    /// - Returns: the cells' ranges (quotes included), where the record ends,
    ///   the line breaks inside quotes, and whether every quoted cell was closed.
    private func scanQuoted(from start: Int, to limit: Int) -> (cells: [Range<Int>], end: Int, lineBreaks: Int, closed: Bool) {
        var cells: [Range<Int>] = []
        var i = start, cellStart = start, lineBreaks = 0
        var atCellStart = true, inQuotes = false
        while i < limit {
            let byte = buffer[i]
            if inQuotes {
                if byte == quote {
                    if i + 1 < limit && buffer[i + 1] == quote { i += 1 } else { inQuotes = false }
                } else if byte == UInt8(ascii: "\n") {
                    lineBreaks += 1
                }
            } else if byte == UInt8(ascii: "\n") {
                break
            } else if byte == UInt8(ascii: ",") {
                cells.append(cellStart..<i)
                cellStart = i + 1
                atCellStart = true
            } else if byte == quote && atCellStart {
                inQuotes = true
                atCellStart = false
            } else if byte != 0x20 && byte != 0x09 {
                atCellStart = false
            }
            i += 1
        }
        cells.append(cellStart..<i)
        return (cells, i, lineBreaks, !inQuotes)
    }

    func isBlank(_ range: Range<Int>) -> Bool {
        range.allSatisfy { buffer[$0] == UInt8(ascii: " ") || buffer[$0] == UInt8(ascii: "\t") }
    }

    /// The cell's text without surrounding blanks; a quoted cell without its
    /// quotes and with each `""` inside made one `"`.
    func cellText(_ range: Range<Int>) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        guard text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") else { return text }
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    func number(in cell: Range<Int>, column: String) throws -> Double {
        var lower = cell.lowerBound, upper = cell.upperBound
        while lower < upper && (buffer[lower] == 0x20 || buffer[lower] == 0x09) { lower += 1 }
        while upper > lower && (buffer[upper - 1] == 0x20 || buffer[upper - 1] == 0x09) { upper -= 1 }
        if upper - lower >= 2 && buffer[lower] == UInt8(ascii: "\"") && buffer[upper - 1] == UInt8(ascii: "\"") {
            lower += 1
            upper -= 1
        }
        guard lower < upper else {
            throw DatasetError(file: file, line: line, column: column, message: "expected a number, found an empty cell")
        }
        let start = UnsafeMutablePointer(mutating: buffer.baseAddress! + lower)
        var end: UnsafeMutablePointer<CChar>? = nil
        let value = start.withMemoryRebound(to: CChar.self, capacity: upper - lower) { strtod($0, &end) }
        let consumed = end.map { UnsafeRawPointer($0) - UnsafeRawPointer(start) } ?? 0
        guard consumed == upper - lower else {
            throw DatasetError(
                file: file, line: line, column: column, message: "expected a number, found \(DataEcho.quoted(cellText(cell)))")
        }
        guard value.isFinite else {
            throw DatasetError(
                file: file, line: line, column: column, message: "expected a finite number, found \(DataEcho.quoted(cellText(cell)))")
        }
        return value
    }

    func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted { return name }
        return nil
    }
}
