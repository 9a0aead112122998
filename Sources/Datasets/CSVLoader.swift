import Foundation

/// Comma-separated values with a header row: one column holds the class label
/// (an integer ≥ 0), every other column a numeric feature.
public enum CSVLoader {
    /// Loads `url`; `labelColumn` names the label column in the header.
    ///
    /// - Parameters:
    ///   - classes: the number of classes when known (labels must be below it);
    ///     when nil, the largest label + 1.
    ///   - displayName: how errors name the file (e.g. project-relative).
    public static func load(
        contentsOf url: URL, labelColumn: String, classes: Int? = nil, displayName: String? = nil
    ) throws -> Dataset {
        let name = displayName ?? url.path
        return try parse(FileBytes.read(url, displayName: name), labelColumn: labelColumn, classes: classes, file: name)
    }

    /// Parses a file's bytes (raw or gzip); `file` names the source in errors.
    public static func parse(_ data: Data, labelColumn: String, classes: Int? = nil, file: String) throws -> Dataset {
        try parse(FileBytes.decode(data, displayName: file), labelColumn: labelColumn, classes: classes, file: file)
    }

    /// Parses CSV bytes; `file` names the source in errors.
    public static func parse(_ bytes: [UInt8], labelColumn: String, classes: Int? = nil, file: String) throws -> Dataset {
        var text = bytes
        text.append(0)  // strtod needs a terminator after the last cell
        return try text.withUnsafeBufferPointer { buffer in
            var parser = CSVParser(buffer: buffer, contentLength: buffer.count - 1, file: file)
            return try parser.parse(labelColumn: labelColumn, classes: classes)
        }
    }
}

/// Walks the bytes once: cells are located by scanning for commas and line
/// ends, numbers are parsed in place with `strtod`.
private struct CSVParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let contentLength: Int
    let file: String
    var position = 0
    var line = 0

    init(buffer: UnsafeBufferPointer<UInt8>, contentLength: Int, file: String) {
        self.buffer = buffer
        self.contentLength = contentLength
        self.file = file
        // Skip a UTF-8 byte-order mark.
        if contentLength >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
    }

    mutating func parse(labelColumn: String, classes: Int?) throws -> Dataset {
        guard let header = nextLine() else {
            throw DatasetError(file: file, message: "expected a header row naming the columns, but the file is empty")
        }
        let names = cells(in: header).map { cellText($0) }
        let headerLine = line
        guard let labelIndex = names.firstIndex(of: labelColumn) else {
            throw DatasetError(
                file: file, line: headerLine,
                message: "expected a label column named '\(labelColumn)' in the header, found columns \(names.prefix(8).map { "'\($0)'" }.joined(separator: ", "))\(names.count > 8 ? ", …" : "")")
        }
        if let duplicate = firstDuplicate(names) {
            throw DatasetError(file: file, line: headerLine, column: duplicate, message: "the header names this column twice")
        }
        let featureNames = names.enumerated().filter { $0.offset != labelIndex }.map(\.element)
        var features: [Float] = []
        var labels: [Int32] = []
        var labelLines: [Int] = []
        features.reserveCapacity(contentLength / 3)
        while let range = nextLine() {
            if isBlank(range) { continue }
            let row = cells(in: range)
            guard row.count == names.count else {
                throw DatasetError(
                    file: file, line: line,
                    message: "expected \(names.count) cells (as in the header), found \(row.count)")
            }
            for (c, cell) in row.enumerated() {
                let value = try number(in: cell, column: names[c])
                if c == labelIndex {
                    guard value == value.rounded(), abs(value) < Double(Int32.max) else {
                        throw DatasetError(file: file, line: line, column: names[c], message: "expected an integer class label, found '\(cellText(cell))'")
                    }
                    labels.append(Int32(value))
                    labelLines.append(line)
                } else {
                    guard Float(value).isFinite else {
                        throw DatasetError(file: file, line: line, column: names[c], message: "expected a number within single-precision range (±3.4e38), found '\(cellText(cell))'")
                    }
                    features.append(Float(value))
                }
            }
        }
        guard !labels.isEmpty else {
            throw DatasetError(file: file, message: "expected at least one data row after the header, found none")
        }
        let classCount = try LabelCheck.classes(of: labels, declared: classes) { index, message in
            DatasetError(file: file, line: labelLines[index], column: labelColumn, message: message)
        }
        return Dataset(
            features: features, labels: labels, rows: labels.count, columns: featureNames.count,
            classes: classCount, featureNames: featureNames)
    }

    /// The next line's byte range (without the line break), or nil at the end.
    mutating func nextLine() -> Range<Int>? {
        guard position < contentLength else { return nil }
        line += 1
        let start = position
        var end = start
        while end < contentLength && buffer[end] != UInt8(ascii: "\n") { end += 1 }
        position = end + 1
        if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<end
    }

    func cells(in range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for i in range where buffer[i] == UInt8(ascii: ",") {
            result.append(start..<i)
            start = i + 1
        }
        result.append(start..<range.upperBound)
        return result
    }

    func isBlank(_ range: Range<Int>) -> Bool {
        range.allSatisfy { buffer[$0] == UInt8(ascii: " ") || buffer[$0] == UInt8(ascii: "\t") }
    }

    /// The cell's text without surrounding blanks and quotes.
    func cellText(_ range: Range<Int>) -> String {
        var text = String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        if text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
        return text
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
            throw DatasetError(file: file, line: line, column: column, message: "expected a number, found '\(cellText(cell))'")
        }
        guard value.isFinite else {
            throw DatasetError(file: file, line: line, column: column, message: "expected a finite number, found '\(cellText(cell))'")
        }
        return value
    }

    func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted { return name }
        return nil
    }
}
