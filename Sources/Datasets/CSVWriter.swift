/// The one way lutbuild writes CSV (thresholds, training logs, sweep results):
/// RFC 4180 quoting, so any text survives a round trip through `CSVLoader`,
/// pandas or a spreadsheet, and text that a spreadsheet would run as a
/// formula is neutralised (OWASP's advice on CSV injection).
public enum CSVWriter {
    /// Characters that make a spreadsheet read a cell as a formula when they start it.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One cell. A number is written as is (`-0.5` stays a number); other text
    /// that starts with `= + - @`, a tab or a carriage return gets a leading `'`,
    /// which spreadsheets show as text. Text with a comma, quote or line break
    /// is quoted, a quote inside doubled.
    public static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, formulaStarts.contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line of cells, with its line break.
    public static func row(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\n"
    }

    /// A header row and data rows.
    public static func table(header: [String], rows: [[String]]) -> String {
        row(header) + rows.map(row).joined()
    }
}
