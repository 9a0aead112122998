import Foundation
import Testing
@testable import Datasets
import Diagnostics

@Suite struct CSVLoaderTests {
    func parse(_ text: String, label: String = "y", classes: Int? = nil) throws -> Dataset {
        try CSVLoader.parse(Array(text.utf8), labelColumn: label, classes: classes, file: "t.csv")
    }

    func error(_ text: String, label: String = "y", classes: Int? = nil) -> String? {
        do {
            _ = try parse(text, label: label, classes: classes)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func loadsFeaturesLabelsAndNames() throws {
        let data = try parse("a, y ,b\r\n1.5,2,-3\n\n4,0,5e1\n")
        #expect(data.rows == 2 && data.columns == 2 && data.classes == 3)
        #expect(data.featureNames == ["a", "b"])
        #expect(data.features == [1.5, -3, 4, 50])
        #expect(data.labels == [2, 0])
    }

    @Test func quotedHeaderAndByteOrderMark() throws {
        let data = try parse("\u{FEFF}\"x\",\"y\"\n\"7\",1\n")
        #expect(data.featureNames == ["x"])
        #expect(data.features == [7])
        #expect(data.labels == [1])
    }

    @Test(arguments: [
        ("x,y\n1,0\n2\n", "t.csv:3: expected 2 cells (as in the header), found 1"),
        ("x,y\n1,0\n,1\n", "t.csv:3: column 'x': expected a number, found an empty cell"),
        ("x,y\n1,0\nNaN,1\n", "t.csv:3: column 'x': expected a finite number, found 'NaN'"),
        ("x,y\n1,0\n2,1\nabc,1\n", "t.csv:4: column 'x': expected a number, found 'abc'"),
        ("x,y\n1,0.5\n", "t.csv:2: column 'y': expected an integer class label, found '0.5'"),
        ("x,y\n1,-1\n", "t.csv:2: column 'y': expected a class label ≥ 0, found -1"),
        ("x,y\n1e39,1\n", "t.csv:2: column 'x': expected a number within single-precision range (±3.4e38), found '1e39'"),
        ("x,label\n1,0\n", "t.csv:1: expected a label column named 'y' in the header; the 2 columns are: x, label"),
        ("x,x,y\n1,2,0\n", "t.csv:1: column 'x': the header names this column twice"),
        ("", "t.csv: expected a header row naming the columns, but the file is empty"),
        ("x,y\n", "t.csv: expected at least one data row after the header, found none"),
    ])
    func malformedFilesNameLineAndColumn(text: String, message: String) {
        #expect(error(text) == message)
    }

    /// Labels 0 and 900000000 made 900,000,001 classes: `init` allocated 4.3 GB and aborted.
    @Test func aWildLabelIsRefusedByTheClassLimit() {
        #expect(
            error("x,y\n1,0\n2,900000000\n")
                == "t.csv:3: column 'y': expected a class label in 0…65535 (at most 65536 classes), found 900000000")
        #expect((try? parse("x,y\n1,0\n2,65535\n"))?.classes == 65536)
    }

    @Test func labelOutOfDeclaredRange() {
        #expect(error("x,y\n1,0\n1,3\n", classes: 3) == "t.csv:3: column 'y': expected a class label in 0…2, found 3")
    }

    /// Every bad row and cell at once, each with its line, in file order.
    @Test func everyProblemIsReportedAtOnce() {
        let text = "x,z,y\n1,2,0\nabc,2,1\n3\n4,,0.5\n5,6,-2\n7,8,1\n"
        #expect(
            error(text) == """
                t.csv:3: column 'x': expected a number, found 'abc'
                t.csv:4: expected 3 cells (as in the header), found 1
                t.csv:5: column 'z': expected a number, found an empty cell
                t.csv:5: column 'y': expected an integer class label, found '0.5'
                t.csv:6: column 'y': expected a class label ≥ 0, found -2
                """)
        // Labels above the declared classes are each reported too.
        #expect(
            error("x,y\n1,0\n1,3\n2,4\n", classes: 3) == """
                t.csv:3: column 'y': expected a class label in 0…2, found 3
                t.csv:4: column 'y': expected a class label in 0…2, found 4
                """)
    }

    /// A screenful is shown and the rest counted, by the same rule as the project file's diagnostics.
    @Test func manyProblemsShowAScreenfulAndCountTheRest() throws {
        let rows = (0..<100_000).map { "bad\($0),1" }.joined(separator: "\n")
        do {
            _ = try parse("x,y\n" + rows + "\n")
            Issue.record("expected an error")
        } catch let errors as DatasetErrors {
            #expect(errors.problems.total == 100_000)
            let lines = errors.description.split(separator: "\n")
            #expect(lines.count == ScreenfulRule.limit + 1)
            #expect(lines[0] == "t.csv:2: column 'x': expected a number, found 'bad0'")
            #expect(
                lines[ScreenfulRule.limit - 1]
                    == "t.csv:\(ScreenfulRule.limit + 1): column 'x': expected a number, found 'bad\(ScreenfulRule.limit - 1)'")
            #expect(lines.last == "… and \(100_000 - ScreenfulRule.limit) more problems (fix those above and run again to see them)")
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: DatasetError.self) {
            try CSVLoader.load(contentsOf: URL(fileURLWithPath: "/nonexistent/x.csv"), labelColumn: "y")
        }
    }
}
