import Foundation
import Testing
@testable import Pipeline
import Synthesis

/// The report page: its hardware rows from the estimate as `MappedEstimate`
/// decodes it, and how it draws.
@Suite struct ReportPageStepTests {
    static func estimate(encoder: String = "") throws -> MappedEstimate {
        let json =
            #"{"layers":[{"layer":0,"partitions":64,"lutsBySize":[0,0,0,0,0,0,9000],"luts":9000,"levels":3,"flipFlops":90},"#
            + #"{"layer":1,"partitions":10,"lutsBySize":[0,0,0,0,0,0,800],"luts":800,"levels":2,"flipFlops":21}],"#
            + #""lutsBySize":[0,0,0,0,0,0,9800],"luts":9800,"flipFlops":111,"logicLevels":5,"latency":2"# + encoder + "}"
        return try JSONDecoder().decode(MappedEstimate.self, from: Data(json.utf8))
    }

    @Test func everyLayerThenTheTotal() throws {
        #expect(
            ReportPageStep.hardware(from: try Self.estimate()) == [
                ReportPage.HardwareRow(name: "layer 0", partitions: 64, luts: 9000, levels: 3, flipFlops: 90),
                ReportPage.HardwareRow(name: "layer 1", partitions: 10, luts: 800, levels: 2, flipFlops: 21),
                ReportPage.HardwareRow(name: "total", partitions: 74, luts: 9800, levels: 5, flipFlops: 111),
            ])
    }

    /// The input encoder is a row of its own, outside the total.
    @Test func theEncoderIsCountedApart() throws {
        let encoder = #","encoder":{"luts":108,"lutsBySize":[0,0,4,0,7,26,71],"carryChains":0,"logicDepth":1,"counter":"yosys"}"#
        let rows = ReportPageStep.hardware(from: try Self.estimate(encoder: encoder))
        #expect(
            rows[2] == ReportPage.HardwareRow(name: "input encoder (not in total)", partitions: nil, luts: 108, levels: 1, flipFlops: 0))
        #expect(rows.last?.luts == 9800)
    }

    static func page(confusion: [[Int]] = [[90, 1], [2, 88]], classNames: [String] = [], warnings: [String] = []) -> ReportPage {
        ReportPage(
            title: "cancer", description: "",
            epochs: (1...4).map { .init(epoch: $0, loss: 2.0 / Double($0), train: 0.9, validation: 0.99, test: 0.98) },
            selectedEpoch: 2, confusion: confusion, testAccuracy: 0.98, latencyCycles: 2, verification: nil,
            verificationPassed: false, hardware: [], estimateSource: nil, thresholds: [], classNames: classNames, warnings: warnings)
    }

    /// The tables' validation accuracy has a card beside the test accuracy when there are validation rows.
    @Test func validationAccuracyHasItsCard() {
        var page = Self.page()
        #expect(!page.html.contains("validation rows"))
        page.validationAccuracy = 0.9722
        page.validationSamples = 144
        #expect(page.html.contains("validation accuracy"))
        #expect(page.html.contains("97.22%"))
        #expect(page.html.contains("LUT inference, 144 validation rows"))
    }

    /// The matrix is labelled with `[dataset] class_names` where the project file has them.
    @Test func classNamesLabelTheConfusionMatrix() {
        let named = Self.page(classNames: ["benign", "malignant"]).html
        #expect(ReportPageTestsSupport.count(#"class="class-label"[^>]*>benign</text>"#, in: named) == 2)
        #expect(ReportPageTestsSupport.count(#"class="class-label"[^>]*>malignant</text>"#, in: named) == 2)
        #expect(named.contains("<title>malignant → benign: 2</title>"))
        let numbered = Self.page().html
        #expect(ReportPageTestsSupport.count(#"class="class-label"[^>]*>1</text>"#, in: numbered) == 2)
    }

    /// Every count is drawn in the ink with more contrast on its cell: white on
    /// the dark diagonal of a good classifier, dark on light cells.
    @Test func countsAreLegibleOnEveryShade() {
        for shade in [ReportPage.rightShade, ReportPage.wrongShade] {
            for step in 0...85 {
                let opacity = 0.15 + Double(step) / 100
                let ink = ReportPage.ink(on: shade, opacity: opacity)
                #expect(ReportPage.contrast(ink, on: shade, opacity: opacity) >= 3.9, "\(shade) at \(opacity): \(ink)")
            }
        }
        let html = Self.page().html
        #expect(html.contains(#"style="fill:#ffffff">90</text>"#))
        #expect(html.contains(#"style="fill:#1d2330">1</text>"#))
    }

    /// Chart titles and the epoch label sit in the margins, never over a curve.
    @Test func axisLabelsStayOffTheCurves() throws {
        let html = Self.page().html
        for chart in ["loss-chart", "accuracy-chart"] {
            let svg = try #require(
                html.components(separatedBy: "<svg id=\"\(chart)\"").dropFirst().first?.components(separatedBy: "</svg>").first)
            let curveYs = ReportPageTestsSupport.numbers(#"[ML](?:[\d.]+) ([\d.]+)"#, in: svg)
            let plotTop = try #require(curveYs.min())
            let titleYs = ReportPageTestsSupport.numbers(#"class="axis-title" x="[\d.]+" y="([\d.]+)"#, in: svg)
            #expect(titleYs.count == 2)
            // The title above the highest point, the epoch label below the x axis ticks' baseline area.
            #expect(titleYs[0] < plotTop - 8, "\(chart): title at \(titleYs[0]), curves from \(plotTop)")
            let plotBottom = try #require(curveYs.max())
            #expect(titleYs[1] > plotBottom + 8, "\(chart): epoch label at \(titleYs[1]), curves to \(plotBottom)")
        }
    }

    /// The warnings the build printed about its results are on the page,
    /// worked out from the step's own inputs (so a cached page keeps them).
    @Test func buildWarningsAreShown() {
        let warning = ResultWarnings.smallValidation(rows: 14, keepsBestEpoch: true)!
        let html = Self.page(warnings: ["train: " + warning]).html
        #expect(html.contains("<p class=\"warning\">warning: train: the validation set has only 14 rows"))
        #expect(!Self.page().html.contains("class=\"warning\""))
        #expect(ResultWarnings.smallValidation(rows: 14, keepsBestEpoch: false) == nil)
        #expect(ResultWarnings.smallValidation(rows: 100, keepsBestEpoch: true) == nil)
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

enum ReportPageTestsSupport {
    static func count(_ pattern: String, in text: String) -> Int {
        (try? NSRegularExpression(pattern: pattern).numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))) ?? 0
    }

    /// The first capture group of every match, as numbers.
    static func numbers(_ pattern: String, in text: String) -> [Double] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Double((text as NSString).substring(with: $0.range(at: 1)))
        }
    }
}
