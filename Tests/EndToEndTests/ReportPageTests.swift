import Foundation
import Testing

/// `gen/reports/index.html`, rendered by a real browser (headless Chromium):
/// what it draws, not only that the file exists.
@Suite struct ReportPageTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The page's DOM after Chromium parsed and laid it out.
    static func renderedDOM(_ page: URL) throws -> String {
        let browser = try #require(chromium, "chromium is missing: run scripts/ensure-deps.sh")
        let result = try LutbuildBinary.runProcess(
            URL(fileURLWithPath: browser),
            ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString], in: page.deletingLastPathComponent())
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    static func count(_ pattern: String, in text: String) -> Int {
        (try? NSRegularExpression(pattern: pattern).numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))) ?? 0
    }

    @Test func pageDrawsCurvesConfusionMatrixAndThresholds() throws {
        let project = try TinyProject(epochs: 3)
        defer { project.remove() }
        let full = ["--simulator", "iverilog"]
        let run = try project.build(full)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.ran.contains("report/html"))
        let page = project.url.appendingPathComponent("gen/reports/index.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        // Self-contained: no script, nothing fetched or linked.
        #expect(!html.contains("<script"))
        #expect(Self.count(#"(src|href)\s*="#, in: html) == 0)
        let inference = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: project.url.appendingPathComponent("gen/reports/lut_inference.json"))) as? [String: Any])
        let testRows = try #require(inference["testSamples"] as? Int)
        let accuracy = try #require(inference["testAccuracy"] as? Double)

        let dom = try Self.renderedDOM(page)
        // 10 classes: a 10 × 10 matrix whose counts add up to the test rows, its diagonal to the accuracy.
        #expect(Self.count(#"<rect class="cell""#, in: dom) == 100)
        let counts = try NSRegularExpression(pattern: #"data-count="(\d+)""#)
            .matches(in: dom, range: NSRange(dom.startIndex..., in: dom))
            .map { Int((dom as NSString).substring(with: $0.range(at: 1)))! }
        #expect(counts.reduce(0, +) == testRows)
        let diagonal = (0..<10).map { counts[$0 * 10 + $0] }.reduce(0, +)
        #expect(diagonal == Int((accuracy * Double(testRows)).rounded()))
        #expect(dom.contains(String(format: "<b>%.2f%%</b>", accuracy * 100)))
        // Loss and three accuracy curves with one point per epoch, and the kept epoch marked on both charts.
        for series in ["loss", "train", "validation", "test"] {
            let path = try #require(
                try NSRegularExpression(pattern: #"data-series="\#(series)" d="([^"]+)""#)
                    .firstMatch(in: dom, range: NSRange(dom.startIndex..., in: dom)), "\(series) curve")
            let d = (dom as NSString).substring(with: path.range(at: 1))
            #expect(Self.count("[ML]", in: d) == 3, "\(series): \(d)")
        }
        #expect(Self.count(#"class="selected-epoch""#, in: dom) == 2)
        // One threshold row per feature (64 pixels), the test accuracy the build printed.
        #expect(Self.count(#"<tr><td>p\d+</td>"#, in: dom) == 64)
        #expect(dom.contains("RTL verification: <span class=\"ok\">passed</span>"))
        #expect(dom.contains("id=\"hardware\""))

        // A second build reuses the page; a changed description rewrites it.
        #expect(try project.build(full).ran.isEmpty)
        try project.edit("description = \"8x8 handwritten digit classifier in LUTs\"", "description = \"renamed\"")
        let again = try project.build(full)
        #expect(again.ran.contains("report/html") && !again.ran.contains { $0.hasPrefix("train") })
        #expect(try Self.renderedDOM(page).contains("<p class=\"sub\">renamed</p>"))
    }

    /// As a browser draws it: the matrix labelled with `[dataset] class_names`,
    /// the build's small-validation warning on the page (also after a cached
    /// rebuild), and the diagonal counts in the ink that reads on their shade.
    @Test func pageShowsClassNamesAndTheBuildsWarnings() throws {
        let project = try TinyProject(epochs: 3)
        defer { project.remove() }
        let names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
        try project.edit("[dataset]\n", "[dataset]\nclass_names = [\(names.map { "\"\($0)\"" }.joined(separator: ", "))]\n")
        try project.edit("validation_fraction = 0.1 ", "validation_fraction = 0.02 ")
        // The page shows verify's and the estimate's reports: a build that makes it runs both.
        let full = ["--simulator", "iverilog"]
        let run = try project.build(full)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.messages("warning").contains { $0.hasPrefix("train: the validation set has only ") }, "\(run.messages("warning"))")
        let page = project.url.appendingPathComponent("gen/reports/index.html")
        let dom = try Self.renderedDOM(page)
        for name in names {
            #expect(Self.count(#"class="class-label"[^>]*>\#(name)</text>"#, in: dom) == 2, "\(name)")
        }
        #expect(dom.contains("<p class=\"warning\">warning: train: the validation set has only "))
        // Counts are drawn (their ink is chosen per shade: ReportPageStepTests.countsAreLegibleOnEveryShade).
        #expect(Self.count(#"<text class="count""#, in: dom) > 0)

        // A rebuild that reuses everything keeps the page, warning included.
        try FileManager.default.removeItem(at: page)
        let again = try project.build(full)
        #expect(again.status == 0)
        #expect(try String(contentsOf: page, encoding: .utf8).contains("<p class=\"warning\">warning: train: the validation set has only "))
    }
}
