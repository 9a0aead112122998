import Foundation

/// `gen/sweep/accuracy_vs_luts.svg`: test accuracy against LUTs, one
/// numbered dot per point, the Pareto front joined and filled, and a key
/// below the axes listing every point's settings and figures, so the file is
/// readable on its own (any browser). Deterministic: same results, same bytes.
enum SweepPlot {
    static let width = 760.0
    static let plotTop = 50.0, plotHeight = 360.0, plotLeft = 80.0, plotWidth = 640.0
    static let keyLineHeight = 18.0

    static func svg(_ results: SweepResults, title: String) -> String {
        let plotted = results.points.enumerated().compactMap {
            index, point -> (number: Int, luts: Double, accuracy: Double, point: SweepPointResult)? in
            guard let luts = point.luts, let accuracy = point.accuracy else { return nil }
            return (index + 1, Double(luts), accuracy * 100, point)
        }
        let keyTop = plotTop + plotHeight + 60
        let height = keyTop + keyLineHeight * Double(max(results.points.count, 1)) + 20
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width))\
             \(f(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="16">\(escape(title))</text>

            """
        let xs = plotted.map(\.luts), ys = plotted.map(\.accuracy)
        let xAxis = Axis(values: xs, padFraction: 0.05, floorAtZero: true)
        let yAxis = Axis(values: ys, padFraction: 0.1, floorAtZero: false)
        func x(_ value: Double) -> Double { plotLeft + (value - xAxis.low) / (xAxis.high - xAxis.low) * plotWidth }
        func y(_ value: Double) -> Double { plotTop + plotHeight - (value - yAxis.low) / (yAxis.high - yAxis.low) * plotHeight }

        svg +=
            "<rect x=\"\(f(plotLeft))\" y=\"\(f(plotTop))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\""
            + " stroke=\"#444\"/>\n"
        for tick in xAxis.ticks {
            svg +=
                "<line x1=\"\(f(x(tick)))\" y1=\"\(f(plotTop))\" x2=\"\(f(x(tick)))\" y2=\"\(f(plotTop + plotHeight))\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(f(x(tick)))\" y=\"\(f(plotTop + plotHeight + 16))\" text-anchor=\"middle\">\(grouped(tick))</text>\n"
        }
        for tick in yAxis.ticks {
            svg +=
                "<line x1=\"\(f(plotLeft))\" y1=\"\(f(y(tick)))\" x2=\"\(f(plotLeft + plotWidth))\" y2=\"\(f(y(tick)))\""
                + " stroke=\"#ddd\"/>\n"
            svg +=
                "<text x=\"\(f(plotLeft - 6))\" y=\"\(f(y(tick) + 4))\""
                + " text-anchor=\"end\">\(String(format: "%.\(yAxis.decimals)f", tick))%</text>\n"
        }
        svg += "<text x=\"\(f(plotLeft + plotWidth / 2))\" y=\"\(f(plotTop + plotHeight + 36))\" text-anchor=\"middle\">LUTs</text>\n"
        svg +=
            "<text x=\"20\" y=\"\(f(plotTop + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 20"
            + " \(f(plotTop + plotHeight / 2)))\">test accuracy</text>\n"

        let front = plotted.filter(\.point.pareto).sorted { ($0.luts, $0.accuracy) < ($1.luts, $1.accuracy) }
        if front.count > 1 {
            // A staircase: from each front point the accuracy holds until the next one's LUTs.
            var path = "M \(f(x(front[0].luts))) \(f(y(front[0].accuracy)))"
            for point in front.dropFirst() { path += " H \(f(x(point.luts))) V \(f(y(point.accuracy)))" }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n"
        }
        for point in plotted {
            let color = point.point.pareto ? "#c0392b" : "#7f8c8d"
            svg +=
                "<circle cx=\"\(f(x(point.luts)))\" cy=\"\(f(y(point.accuracy)))\" r=\"5\""
                + " fill=\"\(color)\"><title>\(escape(caption(point.number, point.point)))</title></circle>\n"
            svg += "<text x=\"\(f(x(point.luts) + 7))\" y=\"\(f(y(point.accuracy) - 6))\" fill=\"\(color)\">\(point.number)</text>\n"
        }
        if plotted.isEmpty {
            svg +=
                "<text x=\"\(f(plotLeft + plotWidth / 2))\" y=\"\(f(plotTop + plotHeight / 2))\" text-anchor=\"middle\">no point"
                + " has both an accuracy and a LUT count yet</text>\n"
        }
        svg +=
            "<text x=\"\(f(plotLeft))\" y=\"\(f(keyTop - 8))\" font-weight=\"bold\">points (red: Pareto front — no other point"
            + " is as accurate with fewer LUTs)</text>\n"
        for (index, point) in results.points.enumerated() {
            let color = point.pareto ? "#c0392b" : "#333"
            svg +=
                "<text x=\"\(f(plotLeft))\" y=\"\(f(keyTop + keyLineHeight * Double(index + 1) - 4))\""
                + " fill=\"\(color)\">\(escape(caption(index + 1, point)))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// `3: model.fan_in=4, train.epochs=10 — 93.10%, 1,234 LUTs, 3 cycles` (with an input encoder,
    /// `encoder 172 LUTs more` after the LUTs).
    static func caption(_ number: Int, _ point: SweepPointResult) -> String {
        let settings = point.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        var figures: [String] = []
        figures.append(point.accuracy.map { String(format: "%.2f%%", $0 * 100) } ?? "no accuracy")
        figures.append(point.luts.map { "\(grouped(Double($0))) LUTs" } ?? "no LUT count")
        if let encoder = point.encoderLuts { figures.append("encoder \(grouped(Double(encoder))) LUTs more") }
        if let cycles = point.latencyCycles { figures.append("\(cycles) cycle\(cycles == 1 ? "" : "s")") }
        return "\(number): \(settings) — \(figures.joined(separator: ", "))"
    }

    /// An axis range padded around the values, with about five round ticks.
    struct Axis {
        var low: Double, high: Double, ticks: [Double], decimals: Int

        init(values: [Double], padFraction: Double, floorAtZero: Bool) {
            var low = floorAtZero ? 0 : values.min() ?? 0, high = values.max() ?? 1
            if high - low < 1e-9 {
                low -= floorAtZero ? 0 : 1
                high += 1
            }
            // The pad is a share of the axis as drawn: with the axis from 0, a share of the
            // data's spread alone put close points (2,704–2,826 LUTs) on the right edge.
            let pad = (high - low) * padFraction
            if !floorAtZero { low -= pad }
            high += pad
            let rough = (high - low) / 5
            let magnitude = pow(10, floor(log10(rough)))
            let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? rough
            var ticks: [Double] = []
            var tick = ceil(low / step) * step
            while tick <= high + step * 1e-9 {
                ticks.append(tick)
                tick += step
            }
            self.low = low
            self.high = high
            self.ticks = ticks
            decimals = step >= 1 ? 0 : Int(ceil(-log10(step)))
        }
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// `12707` → `12,707`.
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var result = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0, character != "-" { result.append(",") }
            result.append(character)
        }
        return String(result.reversed())
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
