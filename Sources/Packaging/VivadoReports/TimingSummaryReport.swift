/// The headline of `report_timing_summary`: worst slacks and the clock, from
/// which the achieved Fmax follows.
public struct TimingSummary: Sendable, Hashable, Codable {
    /// Worst negative (setup) slack in ns; negative means the constraint failed.
    public var wnsNs: Double
    public var tnsNs: Double
    public var setupFailingEndpoints: Int
    /// Worst hold slack in ns.
    public var whsNs: Double
    public var clockName: String
    public var clockPeriodNs: Double
    /// `1000 / (period − WNS)`: the fastest clock the routed design meets.
    public var achievedFmaxMHz: Double
    /// Whether Vivado printed "All user specified timing constraints are met."
    public var constraintsMet: Bool

    public init(
        wnsNs: Double, tnsNs: Double, setupFailingEndpoints: Int, whsNs: Double,
        clockName: String, clockPeriodNs: Double, constraintsMet: Bool
    ) {
        self.wnsNs = wnsNs
        self.tnsNs = tnsNs
        self.setupFailingEndpoints = setupFailingEndpoints
        self.whsNs = whsNs
        self.clockName = clockName
        self.clockPeriodNs = clockPeriodNs
        self.achievedFmaxMHz = 1000 / (clockPeriodNs - wnsNs)
        self.constraintsMet = constraintsMet
    }

    /// Parses the text of a `report_timing_summary` report; `file` names it in errors.
    static func parse(_ text: String, file: String) throws -> TimingSummary {
        let lines = reportLines(text).map(String.init)
        // The "Design Timing Summary" table: a header line starting with WNS(ns),
        // a dashed line, then the values.
        guard let headerIndex = lines.firstIndex(where: { words($0).first == "WNS(ns)" }),
              headerIndex + 2 < lines.count
        else {
            throw PackagingError("\(file): no 'Design Timing Summary' table (a line starting with WNS(ns)); expected a Vivado report_timing_summary report")
        }
        let values = words(lines[headerIndex + 2])
        guard values.count >= 8, let wns = Double(values[0]), let tns = Double(values[1]),
              let failing = Int(values[2]), let whs = Double(values[4])
        else {
            throw PackagingError("\(file): line \(headerIndex + 3): expected the WNS, TNS, failing endpoints and WHS values of the Design Timing Summary, found \(String(reflecting: lines[headerIndex + 2]))")
        }
        guard let clockHeader = lines.firstIndex(where: { words($0).starts(with: ["Clock", "Waveform(ns)", "Period(ns)"]) }),
              clockHeader + 2 < lines.count
        else {
            throw PackagingError("\(file): no 'Clock Summary' table; expected the design's clock (create_clock) to be reported")
        }
        // "clk    {0.000 1.000}        2.000           500.000"
        let clockLine = words(lines[clockHeader + 2])
        guard clockLine.count >= 4, let period = Double(clockLine[clockLine.count - 2]) else {
            throw PackagingError("\(file): line \(clockHeader + 3): expected a clock name, waveform, period and frequency, found \(String(reflecting: lines[clockHeader + 2]))")
        }
        return TimingSummary(
            wnsNs: wns, tnsNs: tns, setupFailingEndpoints: failing, whsNs: whs,
            clockName: clockLine[0], clockPeriodNs: period,
            constraintsMet: text.contains("All user specified timing constraints are met.")
        )
    }

    private static func words(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
}
