import Foundation
import Testing
@testable import Datasets

/// Labels numbered from 1 are named as such, not turned into an extra empty class.
@Suite struct DataErrorReportingTests {
    func parse(_ text: String, classes: Int? = nil) throws -> Dataset {
        try CSVLoader.parse(Data(text.utf8), labelColumn: "label", classes: classes, file: "d.csv")
    }

    @Test func labelsNumberedFromOneAreNamedAsSuch() throws {
        #expect {
            try parse("a,label\n1,2\n2,1\n3,3\n")
        } throws: { error in
            (error as? DatasetError)?.description
                == "d.csv:3: column 'label': class labels must start at 0, but these run from 1 to 3 (numbered from 1?); set"
                + " dataset.label_offset = 1, or renumber them from 0"
        }
        // Classes missing here and there are not a numbering, and with the classes declared any may be absent.
        #expect(try parse("a,label\n1,3\n2,1\n").classes == 4)
        #expect(try parse("a,label\n1,2\n", classes: 3).classes == 3)
    }
}
