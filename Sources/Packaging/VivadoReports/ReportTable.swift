/// One `+---+` bordered table from a Vivado text report.
struct ReportTable: Sendable {
    /// Header cells, trimmed.
    var header: [String]
    /// Body rows; each cell keeps its padding (hierarchy depth is indentation).
    var rawRows: [[String]]

    /// Trimmed cells of every body row.
    var rows: [[String]] { rawRows.map { $0.map(trimmed) } }

    /// The column whose header is `name` (case-insensitive).
    func column(_ name: String) -> Int? {
        header.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Every bordered table in `text`, in order. A table is a border line,
    /// a header row, a border line, body rows and a closing border.
    static func all(in text: String) -> [ReportTable] {
        let lines = reportLines(text)
        var tables: [ReportTable] = []
        var index = 0
        while index + 2 < lines.count {
            guard isBorder(lines[index]), isRow(lines[index + 1]), isBorder(lines[index + 2]) else {
                index += 1
                continue
            }
            var table = ReportTable(header: cells(lines[index + 1]).map(trimmed), rawRows: [])
            index += 3
            while index < lines.count, isRow(lines[index]) {
                table.rawRows.append(cells(lines[index]))
                index += 1
            }
            tables.append(table)
        }
        return tables
    }

    private static func isBorder(_ line: Substring) -> Bool {
        let t = line.drop { $0 == " " }
        return t.hasPrefix("+-") && t.allSatisfy { $0 == "+" || $0 == "-" || $0 == " " }
    }

    private static func isRow(_ line: Substring) -> Bool {
        let t = line.drop { $0 == " " }
        return t.hasPrefix("|") && t.dropFirst().contains("|")
    }

    /// `| a | b |` → [" a ", " b "].
    private static func cells(_ line: Substring) -> [String] {
        var parts = line.drop { $0 == " " }.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        parts.removeFirst()
        if parts.last?.allSatisfy({ $0 == " " }) == true { parts.removeLast() }
        return parts
    }
}

/// The lines of a report, whether it has Unix or Windows line ends.
func reportLines(_ text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
}

func trimmed(_ s: String) -> String {
    String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
}

/// The `| Key : value` lines at the top of every Vivado report.
func reportHeaderField(_ key: String, in text: String) -> String? {
    for line in reportLines(text).prefix(40) where line.hasPrefix("|") {
        let body = line.dropFirst()
        guard let colon = body.firstIndex(of: ":") else { continue }
        if trimmed(String(body[..<colon])) == key {
            return trimmed(String(body[body.index(after: colon)...]))
        }
    }
    return nil
}
