import Foundation
import TestSupport
import Testing
@testable import Datasets

/// Telling a CSV file's layout and label column, as `lutbuild init --data` does.
@Suite struct CSVSniffTests {
    /// `rows` rows of `features` numbers (non-integer) and a class label in `labels`.
    static func rows(_ rows: Int, features: Int, labels: ClosedRange<Int>, labelAt column: Int? = nil) -> [String] {
        (0..<rows).map { r in
            var cells = (0..<features).map { f in String(format: "%.3f", Double((r * 7 + f * 13) % 29) / 3 + 0.001) }
            let label = String(labels.lowerBound + r % labels.count)
            cells.insert(label, at: column ?? cells.count)
            return cells.joined(separator: ",")
        }
    }

    func sniff(_ text: String, label: LabelColumn? = nil) throws -> CSVSniff {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sniff-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try CSVSniff.sniff(file, label: label, displayName: "t.csv")
    }

    func failure(_ text: String, label: LabelColumn? = nil) -> String? {
        do {
            _ = try sniff(text, label: label)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func scikitLearnLayoutSkipsTheCountsLineAndTakesTheLastColumn() throws {
        let text = (["178,13,class_0,class_1,class_2"] + Self.rows(178, features: 13, labels: 0...2)).joined(separator: "\n")
        let sniff = try sniff(text)
        #expect(sniff.layout == CSVLayout(label: .index(-1), header: false, skipLines: 1))
        #expect(sniff.columns.count == 14 && sniff.labelIndex == 13)
        #expect(sniff.classNames == ["class_0", "class_1", "class_2"])
        #expect(sniff.labelReason == "scikit-learn's layout (the last column)")
        let data = try CSVLoader.parse(Array(text.utf8), layout: sniff.layout, file: "t.csv")
        #expect(data.rows == 178 && data.columns == 13 && data.classes == 3)
    }

    @Test func headerlessFileWithOneBasedLabels() throws {
        let text = Self.rows(569, features: 30, labels: 1...2).joined(separator: "\n") + "\n"
        let sniff = try sniff(text)
        #expect(sniff.layout == CSVLayout(label: .index(-1), header: false))
        #expect(sniff.smallestLabel == 1)
        #expect(sniff.labelReason == "being the only integer column with few values")
        let data = try CSVLoader.parse(Array(text.utf8), layout: CSVLayout(label: .index(-1), header: false, labelOffset: 1), file: "t.csv")
        #expect(data.rows == 569 && data.columns == 30 && data.classes == 2)
        #expect(data.featureNames.first == "c0" && data.featureNames.last == "c29")
        #expect(Set(data.labels) == [0, 1])
    }

    @Test func namedLabelColumnInTheMiddle() throws {
        let text = (["a,b,species,c,d"] + Self.rows(300, features: 4, labels: 0...2, labelAt: 2)).joined(separator: "\n")
        let sniff = try sniff(text)
        #expect(sniff.layout == CSVLayout(label: .name("species")))
        #expect(sniff.labelIndex == 2)
        // By index, a header file still gets the name written.
        #expect(try self.sniff(text, label: .index(2)).layout.label == .name("species"))
        let data = try CSVLoader.parse(Array(text.utf8), layout: sniff.layout, file: "t.csv")
        #expect(data.featureNames == ["a", "b", "c", "d"])
    }

    @Test func aWellKnownLabelNameWins() throws {
        // Two integer columns with few values: the one named `target` is the label.
        let text = "x,k,target\n" + (0..<100).map { "\(Double($0) / 7),\($0 % 3),\($0 % 2)" }.joined(separator: "\n")
        #expect(try sniff(text).layout.label == .name("target"))
        #expect(try sniff(text).labelReason == "its name")
    }

    @Test func ambiguousAndMissingLabelColumnsAskForLabel() {
        let two = "x,k,m\n" + (0..<100).map { "\(Double($0) / 7),\($0 % 3),\($0 % 2)" }.joined(separator: "\n")
        #expect(
            failure(two)
                == "t.csv: cannot tell which column holds the class labels: 2 columns have only integers with few distinct"
                + " values (k, m); name it with --label NAME, or --label INDEX (0-based; -1 is the last column)"
        )
        let none = "x,y2\n" + (0..<100).map { "\(Double($0) / 7),\(Double($0) / 3)" }.joined(separator: "\n")
        #expect(
            failure(none)
                == "t.csv: cannot tell which column holds the class labels: no column has only integers with at most 10 distinct"
                + " values; name it with --label NAME, or --label INDEX (0-based; -1 is the last column). The 2 columns are: x, y2"
        )
    }

    @Test func aWrongLabelNameGetsADidYouMeanAndEveryColumn() throws {
        let header = (0..<64).map { "p\($0)" } + ["digit"]
        let text = header.joined(separator: ",") + "\n" + (0..<65).map { _ in "1" }.joined(separator: ",") + "\n"
        let expected =
            "t.csv:1: expected a label column named 'Digits' in the header (did you mean 'digit'?); the 65 columns are: p0 … p63, digit"
        #expect(failure(text, label: .name("Digits")) == expected)
        #expect(throws: DatasetError(file: "t.csv", line: 1, message: String(expected.dropFirst("t.csv:1: ".count)))) {
            try CSVLoader.parse(Array(text.utf8), labelColumn: "Digits", file: "t.csv")
        }
    }

    @Test func labelIndexOutOfRangeAndNamesWithoutHeader() {
        let text = "1.5,2.5,0\n3.5,4.5,1\n"
        #expect(failure(text, label: .index(3)) == "t.csv:1: expected a label column index in 0…2 (or -1 … -3 from the end), found 3")
        #expect(
            failure(text, label: .name("y"))
                == "t.csv: the file has no header row, so the label column cannot be named 'y'; expected a column index"
                + " (0-based, -1 for the last of 3 columns)"
        )
    }

    @Test(arguments: [
        (["p0", "p1", "p2", "p3", "label"], "p0 … p3, label"),
        (["a", "b", "c"], "a, b, c"),
        (["x1", "x2", "y", "c0", "c1", "c2", "c4"], "x1, x2, y, c0 … c2, c4"),
    ])
    func compactColumnLists(names: [String], text: String) {
        #expect(CSVLoader.compactList(names) == text)
    }

    @Test func labelOffsetShiftsLabelsAndNamesTheFileValueInErrors() throws {
        let data = try CSVLoader.parse(Array("x,y\n1,1\n2,3\n".utf8), layout: CSVLayout(label: "y", labelOffset: 1), file: "t.csv")
        #expect(data.labels == [0, 2] && data.classes == 3)
        #expect(
            throws: DatasetError(
                file: "t.csv", line: 3, column: "y",
                message: "expected a class label ≥ 1, found 0 (labels are counted from label_offset = 1)")
        ) {
            try CSVLoader.parse(Array("x,y\n1,1\n2,0\n".utf8), layout: CSVLayout(label: "y", labelOffset: 1), file: "t.csv")
        }
    }

    @Test func formatIsToldByContent() throws {
        let folderSandbox = try Sandbox("format")
        defer { folderSandbox.remove() }
        let folder = folderSandbox.url
        let files: [(String, [UInt8], DataFileFormat)] = [
            ("a.bin", [0x93] + Array("NUMPY".utf8) + [1, 0, 0, 0], .npy),
            ("b.bin", [0, 0, 8, 1, 0, 0, 0, 0], .idx),
            ("c.npy", Array("x,y\n1,0\n".utf8), .csv),
        ]
        for (name, bytes, format) in files {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
            #expect(try DataFileFormat.detect(folder.appendingPathComponent(name), displayName: name) == format)
        }
    }
}
