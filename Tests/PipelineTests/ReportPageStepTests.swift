import Foundation
import Testing
@testable import Pipeline

/// The report page reads estimate.json loosely: the yosys totals, or per-layer
/// LUTs and LUT levels where the estimate has them.
@Suite struct ReportPageStepTests {
    @Test func totalsOnlyEstimate() {
        let json = #"{"family":"xcup","flipFlops":77,"logicDepth":12,"luts":2845,"lutsBySize":[0,31]}"#
        let (rows, source) = ReportPageStep.hardware(fromEstimate: Data(json.utf8))
        #expect(rows == [ReportPage.HardwareRow(name: "total", partitions: nil, luts: 2845, levels: 12, flipFlops: 77)])
        #expect(source == "Estimate for xcup from gen/reports/estimate.json")
    }

    @Test func perLayerEstimateAtTopLevelOrOneObjectDown() {
        let layers = #"[{"layer":0,"partitions":64,"luts":9000,"levels":3,"flipFlops":90},{"layer":1,"partitions":10,"luts":800,"levels":2,"flipFlops":21}]"#
        let expected = [
            ReportPage.HardwareRow(name: "layer 0", partitions: 64, luts: 9000, levels: 3, flipFlops: 90),
            ReportPage.HardwareRow(name: "layer 1", partitions: 10, luts: 800, levels: 2, flipFlops: 21),
        ]
        let top = ReportPageStep.hardware(fromEstimate: Data(#"{"layers":\#(layers),"luts":9800,"logicLevels":5,"flipFlops":111}"#.utf8)).0
        #expect(top == expected + [ReportPage.HardwareRow(name: "total", partitions: 74, luts: 9800, levels: 5, flipFlops: 111)])
        let nested = ReportPageStep.hardware(fromEstimate: Data(#"{"luts":9900,"logicDepth":6,"mapped":{"layers":\#(layers)}}"#.utf8)).0
        #expect(nested.dropLast() == expected[...])
        #expect(nested.last == ReportPage.HardwareRow(name: "total", partitions: 74, luts: 9900, levels: 6, flipFlops: nil))
    }

    @Test func unreadableEstimateSaysSo() {
        let (rows, source) = ReportPageStep.hardware(fromEstimate: Data("not json".utf8))
        #expect(rows.isEmpty && source == "estimate.json could not be read")
    }

    @Test func samePageForTheSameResults() {
        let page = ReportPage(
            title: "t<1>", description: "", epochs: [.init(epoch: 1, loss: 1, train: 0.5, validation: 0.4, test: nil)],
            selectedEpoch: 1, confusion: [[3, 1], [0, 2]], testAccuracy: 5.0 / 6, latencyCycles: 2, verification: nil,
            verificationPassed: false, hardware: [], estimateSource: nil, thresholds: [.init(name: "x", values: [0.5])])
        #expect(page.html == page.html)
        #expect(page.html.contains("<h1>t&lt;1&gt;</h1>"))
        #expect(page.html.contains(#"data-count="1""#))
    }
}
