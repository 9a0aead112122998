import Foundation

/// `gen/reports/index.html`: the build's results on one self-contained page
/// (inline CSS and SVG, no script, nothing fetched), for a person to look at:
/// training curves, the confusion matrix on the test set, LUTs and LUT
/// levels per layer, verification and estimate, the input thresholds.
/// Deterministic: the same results give the same bytes.
struct ReportPage: Equatable {
    struct Epoch: Equatable {
        var epoch: Int
        var loss: Double
        var train: Double
        var validation: Double?
        var test: Double?
    }

    /// A row of the hardware table: one layer, or the whole design.
    struct HardwareRow: Equatable {
        var name: String
        var partitions: Int?
        var luts: Int?
        var levels: Int?
        var flipFlops: Int?
    }

    struct Threshold: Equatable {
        var name: String
        var values: [Double]
    }

    var title: String
    var description: String
    var epochs: [Epoch]
    var selectedEpoch: Int?
    /// `confusion[t][p]`: test rows of class t classified as p.
    var confusion: [[Int]]
    var testAccuracy: Double
    var latencyCycles: Int
    /// `0 mismatches in 36 samples (verilator)`, or nil without the verify step.
    var verification: String?
    var verificationPassed: Bool
    /// Per layer (when the estimate has them), then the total.
    var hardware: [HardwareRow]
    var estimateSource: String?
    var thresholds: [Threshold]
    /// `[dataset] class_names` in label order; empty: the matrix shows class numbers.
    var classNames: [String] = []
    /// The build's warnings about these results (`ResultWarnings`), `step: message`.
    var warnings: [String] = []
    /// LUT inference on the validation rows, where models and seeds are chosen; nil without them.
    var validationAccuracy: Double? = nil
    var validationSamples: Int? = nil

    // MARK: - Page

    var html: String {
        var body = "<h1>\(Self.escape(title))</h1>\n"
        if !description.isEmpty { body += "<p class=\"sub\">\(Self.escape(description))</p>\n" }
        body += summary + warningSection + trainingSection + confusionSection + hardwareSection + thresholdSection
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(title)): lutbuild report</title>
            <style>
            body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 980px; color: #1d2330; padding: 0 16px; }
            h1 { margin-bottom: 0; } h2 { margin-top: 32px; border-bottom: 1px solid #d5d9e0; }
            .sub { color: #5b6475; margin-top: 4px; }
            .cards { display: flex; gap: 12px; flex-wrap: wrap; }
            .card { border: 1px solid #d5d9e0; border-radius: 6px; padding: 8px 14px; min-width: 150px; }
            .card b { display: block; font-size: 22px; }
            .ok { color: #18794e; } .bad { color: #c4321b; }
            .warning { border-left: 4px solid #e08a00; background: #fff6e5; padding: 6px 10px; margin: 6px 0; }
            table { border-collapse: collapse; } td, th { padding: 3px 10px; text-align: right; border-bottom: 1px solid #eceef2; }
            th:first-child, td:first-child { text-align: left; }
            svg text { font: 11px system-ui, sans-serif; fill: #1d2330; }
            svg text.count { font-size: 12px; font-weight: 600; }
            .legend span { margin-right: 14px; } .legend i { display: inline-block; width: 18px; height: 3px; vertical-align:\
             middle; margin-right: 4px; }
            </style>
            </head>
            <body>
            \(body)<p class="sub">Written by lutbuild; every figure comes from gen/reports/ and gen/rtl/.</p>
            </body>
            </html>

            """
    }

    private var summary: String {
        var cards = [card("test accuracy", Self.percent(testAccuracy), "LUT inference, \(confusion.joined().reduce(0, +)) test rows")]
        if let validationAccuracy, let validationSamples {
            cards.append(
                card(
                    "validation accuracy", Self.percent(validationAccuracy),
                    "LUT inference, \(validationSamples) validation rows (where models are chosen)"))
        }
        if let verification {
            cards.append(card("RTL verify", verificationPassed ? "passed" : "FAILED", verification, good: verificationPassed))
        }
        if let total = hardware.last, let luts = total.luts {
            cards.append(card("LUTs", "\(luts)", estimateSource ?? "estimate"))
        }
        if let encoder = hardware.first(where: { $0.name.hasPrefix("input encoder") }), let luts = encoder.luts {
            cards.append(card("encoder LUTs", "\(luts)", "input comparators, counted apart"))
        }
        cards.append(card("latency", "\(latencyCycles) cycles", "input to output"))
        return "<div class=\"cards\" id=\"summary\">\n" + cards.joined(separator: "\n") + "\n</div>\n"
    }

    /// The warnings the build printed about these results, so the page says them too.
    private var warningSection: String {
        guard !warnings.isEmpty else { return "" }
        return "<div id=\"warnings\">\n" + warnings.map { "<p class=\"warning\">warning: \(Self.escape($0))</p>\n" }.joined() + "</div>\n"
    }

    private func card(_ label: String, _ value: String, _ note: String, good: Bool? = nil) -> String {
        let style = good.map { $0 ? " class=\"ok\"" : " class=\"bad\"" } ?? ""
        return "<div class=\"card\">\(Self.escape(label))<b\(style)>\(Self.escape(value))</b><small>\(Self.escape(note))</small></div>"
    }

    // MARK: - Training curves

    static let colors = (loss: "#3559c7", train: "#8a8f99", validation: "#e08a00", test: "#18794e", selected: "#c4321b")

    private var trainingSection: String {
        var text = "<h2>Training</h2>\n"
        guard !epochs.isEmpty else { return text + "<p>No training log (the network was not trained in this build's history).</p>\n" }
        let selected = selectedEpoch.map { " The kept model is from epoch \($0) (red line)." } ?? ""
        text += "<p>\(epochs.count) epochs.\(selected)</p>\n"
        let maxLoss = max(epochs.map(\.loss).max() ?? 1, 1e-9)
        text += chart(
            id: "loss-chart", title: "loss", series: [("loss", Self.colors.loss, epochs.map { Optional($0.loss) })],
            top: maxLoss, format: { String(format: "%.2f", $0) })
        text += chart(
            id: "accuracy-chart", title: "accuracy",
            series: [
                ("train", Self.colors.train, epochs.map { Optional($0.train) }),
                ("validation", Self.colors.validation, epochs.map(\.validation)),
                ("test", Self.colors.test, epochs.map(\.test)),
            ], top: 1, format: { Self.percent($0, digits: 0) })
        text +=
            "<p class=\"legend\">"
            + [
                ("loss", Self.colors.loss), ("train accuracy", Self.colors.train),
                ("validation accuracy", Self.colors.validation), ("test accuracy", Self.colors.test),
            ]
            .map { "<span><i style=\"background:\($0.1)\"></i>\($0.0)</span>" }.joined() + "</p>\n"
        return text
    }

    /// A line chart over the epochs, 0…`top` on the y axis, the selected epoch marked.
    private func chart(
        id: String, title: String, series: [(String, String, [Double?])], top: Double,
        format: (Double) -> String
    ) -> String {
        // The title sits in the top margin and "epoch" in the bottom one: no label is drawn over the curves.
        let width = 900.0, height = 236.0, left = 56.0, right = 12.0, upper = 28.0, lower = 28.0
        let plotWidth = width - left - right, plotHeight = height - upper - lower
        let count = epochs.count
        func x(_ index: Int) -> Double { left + (count > 1 ? Double(index) / Double(count - 1) : 0.5) * plotWidth }
        func y(_ value: Double) -> Double { upper + (1 - min(max(value / top, 0), 1)) * plotHeight }
        var svg =
            "<svg id=\"\(id)\" role=\"img\" aria-label=\"\(title) per epoch\" width=\"100%\" viewBox=\"0 0 \(Int(width))"
            + " \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for step in 0...4 {
            let value = top * Double(step) / 4
            svg +=
                "<line x1=\"\(Self.f(left))\" x2=\"\(Self.f(width - right))\" y1=\"\(Self.f(y(value)))\""
                + " y2=\"\(Self.f(y(value)))\" stroke=\"#eceef2\"/>"
            svg += "<text x=\"\(Self.f(left - 6))\" y=\"\(Self.f(y(value) + 4))\" text-anchor=\"end\">\(format(value))</text>\n"
        }
        for index in Self.tickIndices(count) {
            svg += "<text x=\"\(Self.f(x(index)))\" y=\"\(Self.f(height - 8))\" text-anchor=\"middle\">\(epochs[index].epoch)</text>"
        }
        svg += "\n"
        if let selectedEpoch, let index = epochs.firstIndex(where: { $0.epoch == selectedEpoch }) {
            svg +=
                "<line class=\"selected-epoch\" data-epoch=\"\(selectedEpoch)\" x1=\"\(Self.f(x(index)))\""
                + " x2=\"\(Self.f(x(index)))\" y1=\"\(Self.f(upper))\" y2=\"\(Self.f(upper + plotHeight))\""
                + " stroke=\"\(Self.colors.selected)\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (name, color, values) in series where values.contains(where: { $0 != nil }) {
            var path = ""
            for (index, value) in values.enumerated() {
                guard let value else { continue }
                path += (path.isEmpty ? "M" : " L") + "\(Self.f(x(index))) \(Self.f(y(value)))"
            }
            svg += "<path class=\"curve\" data-series=\"\(name)\" d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"/>\n"
        }
        svg += "<text class=\"axis-title\" x=\"\(Self.f(left))\" y=\"\(Self.f(upper - 12))\">\(title)</text>"
        svg += "<text class=\"axis-title\" x=\"\(Self.f(left - 6))\" y=\"\(Self.f(height - 8))\" text-anchor=\"end\">epoch</text>\n"
        return svg + "</svg>\n"
    }

    /// About 10 evenly spaced epoch labels, always the first and the last.
    static func tickIndices(_ count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let step = max(1, (count + 9) / 10)
        var indices = Array(stride(from: 0, to: count, by: step))
        if indices.last != count - 1 { indices.append(count - 1) }
        return indices
    }

    // MARK: - Confusion matrix

    private var confusionSection: String {
        let classes = confusion.count
        var text = "<h2>Confusion matrix (test set)</h2>\n"
        guard classes > 0 else { return text + "<p>No test rows.</p>\n" }
        text += "<p>Rows: true class; columns: the class the LUT network chose. Shade: share of the row.</p>\n"
        let cell = classes <= 12 ? 40.0 : max(12, 480 / Double(classes))
        let names = (0..<classes).map(className)
        // Room for the longest label: names run along the top at 45°, and to the left of the rows.
        let labelWidth = cell >= 16 ? Double(names.map(\.count).max() ?? 1) * 6.5 : 0
        let left = max(44, labelWidth + 14), top = max(44, labelWidth * 0.75 + 22)
        let width = left + cell * Double(classes) + 4 + (cell >= 16 ? labelWidth * 0.75 : 0)
        let height = top + cell * Double(classes) + 4
        var svg =
            "<svg id=\"confusion\" role=\"img\" aria-label=\"confusion matrix\" width=\"\(Int(width))\""
            + " height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        svg += "<text x=\"\(Self.f(left))\" y=\"12\">predicted →</text><text x=\"2\" y=\"\(Self.f(top - 4))\">true ↓</text>\n"
        for c in 0..<classes where cell >= 16 {
            let name = Self.escape(names[c])
            let columnX = left + (Double(c) + 0.5) * cell, labelY = top - 6
            svg +=
                "<text class=\"class-label\" x=\"\(Self.f(columnX))\" y=\"\(Self.f(labelY))\" transform=\"rotate(-45"
                + " \(Self.f(columnX)) \(Self.f(labelY)))\">\(name)</text>"
            svg +=
                "<text class=\"class-label\" x=\"\(Self.f(left - 6))\" y=\"\(Self.f(top + (Double(c) + 0.5) * cell + 4))\""
                + " text-anchor=\"end\">\(name)</text>\n"
        }
        for (t, row) in confusion.enumerated() {
            let total = max(row.reduce(0, +), 1)
            for (p, count) in row.enumerated() {
                let share = Double(count) / Double(total)
                let shade = t == p ? Self.rightShade : Self.wrongShade
                let color = "\(shade.red),\(shade.green),\(shade.blue)"
                let opacity = count == 0 ? 0.04 : 0.15 + 0.85 * share
                let x = left + Double(p) * cell, y = top + Double(t) * cell
                svg +=
                    "<rect class=\"cell\" data-true=\"\(t)\" data-predicted=\"\(p)\" data-count=\"\(count)\" x=\"\(Self.f(x))\""
                    + " y=\"\(Self.f(y))\" width=\"\(Self.f(cell - 1))\" height=\"\(Self.f(cell - 1))\""
                    + " fill=\"rgba(\(color),\(Self.f(opacity)))\"><title>\(Self.escape(names[t])) →"
                    + " \(Self.escape(names[p])): \(count)</title></rect>"
                if cell >= 16 && count > 0 {
                    // Dark text on light cells, white on dark ones (the diagonal of a good classifier).
                    let ink = Self.ink(on: t == p ? Self.rightShade : Self.wrongShade, opacity: opacity)
                    svg +=
                        "<text class=\"count\" x=\"\(Self.f(x + cell / 2))\" y=\"\(Self.f(y + cell / 2 + 4))\""
                        + " text-anchor=\"middle\" style=\"fill:\(ink)\">\(count)</text>"
                }
                svg += "\n"
            }
        }
        return text + svg + "</svg>\n"
    }

    typealias RGB = (red: Int, green: Int, blue: Int)
    /// Cell colours: right (the diagonal) and wrong classifications.
    static let rightShade: RGB = (24, 121, 78), wrongShade: RGB = (196, 50, 27)
    static let darkInk = "#1d2330", lightInk = "#ffffff"

    /// The ink with the higher contrast (WCAG 2 ratio) on `shade` at
    /// `opacity` over the white page: a fixed colour fails on half the shades.
    static func ink(on shade: RGB, opacity: Double) -> String {
        contrast(darkInk, on: shade, opacity: opacity) >= contrast(lightInk, on: shade, opacity: opacity) ? darkInk : lightInk
    }

    /// WCAG 2 contrast ratio of `ink` (`#rrggbb`) on `shade` blended over white.
    static func contrast(_ ink: String, on shade: RGB, opacity: Double) -> Double {
        func luminance(_ rgb: [Double]) -> Double {
            let linear = rgb.map { $0 <= 0.03928 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
            return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        }
        let background = [shade.red, shade.green, shade.blue].map { (Double($0) * opacity + 255 * (1 - opacity)) / 255 }
        let hex = Array(ink.dropFirst())
        let text = stride(from: 0, to: 6, by: 2).map { Double(Int(String(hex[$0..<$0 + 2]), radix: 16)!) / 255 }
        let (a, b) = (luminance(background), luminance(text))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// `[dataset] class_names` where given, else the class number.
    private func className(_ index: Int) -> String {
        index < classNames.count ? classNames[index] : "\(index)"
    }

    // MARK: - Hardware

    private var hardwareSection: String {
        var text = "<h2>Hardware</h2>\n"
        if let verification {
            let verdict = verificationPassed ? "<span class=\"ok\">passed</span>" : "<span class=\"bad\">FAILED</span>"
            text += "<p id=\"verify\">RTL verification: \(verdict): \(Self.escape(verification)).</p>\n"
        } else {
            text += "<p id=\"verify\">RTL verification did not run in this build (--no-verify).</p>\n"
        }
        guard !hardware.isEmpty else { return text + "<p>No estimate in this build (--no-estimate).</p>\n" }
        text += "<p>\(Self.escape(estimateSource ?? "Estimate")); latency \(latencyCycles) cycles.</p>\n"
        text += "<table id=\"hardware\">\n<tr><th></th><th>partitions</th><th>LUTs</th><th>LUT levels</th><th>FFs</th></tr>\n"
        let largest = max(hardware.dropLast().compactMap(\.luts).max() ?? 1, 1)
        for row in hardware {
            let bar =
                row.luts.map { luts in
                    row.name == hardware.last?.name
                        ? ""
                        : "<svg class=\"bar\" width=\"120\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"><rect"
                            + " width=\"\(Self.f(120 * Double(luts) / Double(largest)))\" height=\"10\""
                            + " fill=\"\(Self.colors.loss)\"/></svg> "
                } ?? ""
            func cell(_ value: Int?) -> String { value.map(String.init) ?? "–" }
            text +=
                "<tr class=\"layer\"><td>\(Self.escape(row.name))</td><td>\(cell(row.partitions))</td><td>\(bar)\(cell(row.luts))</td>"
                + "<td>\(cell(row.levels))</td><td>\(cell(row.flipFlops))</td></tr>\n"
        }
        return text + "</table>\n"
    }

    // MARK: - Input thresholds

    private var thresholdSection: String {
        var text = "<h2>Input thresholds</h2>\n"
        guard let codes = thresholds.map(\.values.count).max(), codes > 0 else { return text + "<p>No thresholds.</p>\n" }
        text +=
            "<p>A raw feature value at or above threshold t<sub>k</sub> (in the feature's direction) gets input code k or"
            + " higher; the full table is gen/rtl/…_input_thresholds.csv.</p>\n"
        text += "<table id=\"thresholds\">\n<tr><th>feature</th>" + (1...codes).map { "<th>t\($0)</th>" }.joined() + "</tr>\n"
        for threshold in thresholds {
            text +=
                "<tr><td>\(Self.escape(threshold.name))</td>" + threshold.values.map { "<td>\(Self.number($0))</td>" }.joined() + "</tr>\n"
        }
        return text + "</table>\n"
    }

    // MARK: - Formatting

    static func percent(_ value: Double, digits: Int = 2) -> String { String(format: "%.\(digits)f%%", value * 100) }

    /// Coordinates with one decimal: short, and the same on every machine.
    static func f(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : (value > 0 ? "∞" : "−∞")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
