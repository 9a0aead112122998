import Foundation
import Testing
@testable import Datasets

/// RFC 4180 quoting in files lutbuild reads (as pandas and spreadsheets write
/// them) and writes, and how data errors quote what they found.
@Suite struct CSVQuotingTests {
    func parse(_ text: String, label: String = "y", classes: Int? = nil) throws -> Dataset {
        try CSVLoader.parse(Array(text.utf8), labelColumn: label, classes: classes, file: "t.csv")
    }

    func error(_ text: String, label: String = "y") -> String? {
        do {
            _ = try parse(text, label: label)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// pandas' `to_csv` quotes a header cell with a comma or a quote; every row
    /// was "expected 4 cells, found 3" when the loader split inside the quotes.
    @Test func quotedHeaderCellsWithCommasAndDoubledQuotes() throws {
        let data = try parse("\"comma,name\",\"with \"\"quote\"\"\",plain,y\n1,2,3,0\n4,5,6,1\n")
        #expect(data.featureNames == ["comma,name", "with \"quote\"", "plain"])
        #expect(data.features == [1, 2, 3, 4, 5, 6])
        #expect(data.labels == [0, 1])
    }

    /// A quoted line break belongs to the cell; later errors still name the line as an editor counts it.
    @Test func quotedLineBreaksInHeaderAndCells() throws {
        let data = try parse("\"two\nlines\",y\r\n\"1.5\",0\r\n2.5,\"1\"\r\n")
        #expect(data.featureNames == ["two\nlines"])
        #expect(data.features == [1.5, 2.5])
        #expect(error("\"two\nlines\",y\n1,0\nabc,1\n") == "t.csv:4: column 'two\\nlines': expected a number, found 'abc'")
        #expect(
            error("x,y\n\"a\nb\",0\nabc,1\n")?.hasPrefix("t.csv:2: column 'x': expected a number, found 'a\\nb'\nt.csv:4: column 'x'")
                == true)
    }

    @Test func aQuoteThatIsNeverClosedIsNamed() {
        #expect(
            error("x,y\n1,0\n\"2,1\n3,0\n") == """
                t.csv:3: a quoted cell opens here (with ") but is never closed; close it, or double a quote inside a quoted cell ("")
                """)
    }

    /// Every line opening a quote that never closes: each is reported on its line,
    /// and the parse stays linear (one scan to the end of the file, not one per line).
    @Test func manyUnclosedQuotesStayLinear() {
        // `"1","0`: whether a line starts inside or outside quotes, it ends inside them.
        let rows = String(repeating: "\"1\",\"0\n", count: 200_000)
        let started = Date()
        let message = error("x,y\n" + rows) ?? ""
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(message.hasPrefix("t.csv:2: a quoted cell opens here"), "\(message.prefix(200))")
        #expect(message.contains("… and 199960 more problems"), "\(message.suffix(200))")
    }

    /// A quote inside an unquoted cell is text (as in most readers), not the start of a quoted cell.
    @Test func aQuoteInsideAnUnquotedCellIsText() {
        #expect(error("x,y\n1\"5,0\n2,1\n") == "t.csv:2: column 'x': expected a number, found '1\"5'")
    }

    @Test func theSnifferReadsQuotedHeadersToo() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sniff-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("\"a,b\",\"c \"\"d\"\"\",label\n1.5,2.5,0\n3.5,4.5,1\n".utf8).write(to: url)
        let sniff = try CSVSniff.sniff(url, label: nil, displayName: "s.csv")
        #expect(sniff.columns == ["a,b", "c \"d\"", "label"])
        #expect(sniff.layout.header && sniff.labelIndex == 2)
    }

    // MARK: echoing file text in errors

    /// A 5 MB cell gave a 5 MB error line.
    @Test func aHugeCellIsCutInTheMessage() {
        let cell = String(repeating: "x", count: 5_000_000)
        let message = error("a,y\n\(cell),0\n") ?? ""
        #expect(message.count < 200)
        #expect(message == "t.csv:2: column 'a': expected a number, found '\(String(repeating: "x", count: 40))…' (5000000 characters)")
    }

    /// Escape sequences and NUL bytes reached the terminal.
    @Test func controlCharactersAreEscaped() {
        let message = error("a,y\n\u{1B}[31mred\u{0},0\n") ?? ""
        #expect(message == "t.csv:2: column 'a': expected a number, found '\\u{1B}[31mred\\0'")
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let header = error("\"\u{1B}]0;title\u{7}\",y\n1,0\nz,1\n") ?? ""
        #expect(header == "t.csv:3: column '\\u{1B}]0;title\\u{7}': expected a number, found 'z'")
        #expect(DataEcho.quoted("tab\there\r\n\u{9B}") == "'tab\\there\\r\\n\\u{9B}'")
    }

    @Test func longHeaderNamesAreCutInColumnLists() {
        let long = String(repeating: "n", count: 300)
        let message = error("\(long),b\n1,2\n") ?? ""
        #expect(
            message
                == "t.csv:1: expected a label column named 'y' in the header; the 2 columns are: "
                + "\(String(repeating: "n", count: 40))…, b")
    }

    // MARK: writing

    @Test func writerQuotesAndNeutralisesFormulas() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSVWriter.field("+1+cmd") == "'+1+cmd")
        #expect(CSVWriter.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.field("-2+3") == "'-2+3")
        // Numbers stay numbers.
        #expect(CSVWriter.field("-0.5") == "-0.5")
        #expect(CSVWriter.field("1e-3") == "1e-3")
    }

    /// What the writer writes, the loader reads back as the same names.
    @Test func writtenNamesReadBack() throws {
        let names = ["a,b", "say \"hi\"", "two\nlines", "plain"]
        let text = CSVWriter.table(header: names + ["y"], rows: [["1", "2", "3", "4", "0"], ["5", "6", "7", "8", "1"]])
        let data = try parse(text)
        #expect(data.featureNames == names)
        #expect(data.features == [1, 2, 3, 4, 5, 6, 7, 8])
    }
}
