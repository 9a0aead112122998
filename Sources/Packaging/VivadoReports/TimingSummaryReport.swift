import Foundation

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
    /// check_timing's `no_input_delay` and `no_output_delay` counts: ports
    /// whose paths the Fmax leaves out; nil when the report has no check_timing.
    public var inputsWithoutDelay: Int?
    public var outputsWithoutDelay: Int?

    /// What the achieved Fmax covers, in words, from check_timing's counts.
    public var coverage: String {
        guard let inputs = inputsWithoutDelay, let outputs = outputsWithoutDelay else {
            return "not known (no check_timing in the report)"
        }
        if inputs == 0 && outputs == 0 { return "every path (inputs and outputs constrained)" }
        return "register-to-register paths only: \(inputs) input(s) and \(outputs) output(s) without delay constraints"
    }

    public init(
        wnsNs: Double, tnsNs: Double, setupFailingEndpoints: Int, whsNs: Double,
        clockName: String, clockPeriodNs: Double, constraintsMet: Bool,
        inputsWithoutDelay: Int? = nil, outputsWithoutDelay: Int? = nil
    ) {
        self.wnsNs = wnsNs
        self.tnsNs = tnsNs
        self.setupFailingEndpoints = setupFailingEndpoints
        self.whsNs = whsNs
        self.clockName = clockName
        self.clockPeriodNs = clockPeriodNs
        self.achievedFmaxMHz = 1000 / (clockPeriodNs - wnsNs)
        self.constraintsMet = constraintsMet
        self.inputsWithoutDelay = inputsWithoutDelay
        self.outputsWithoutDelay = outputsWithoutDelay
    }

    /// Parses the text of a `report_timing_summary` report; `file` names it in errors.
    static func parse(_ text: String, file: String) throws -> TimingSummary {
        let lines = reportLines(text).map(String.init)
        // The "Design Timing Summary" table: a header line starting with WNS(ns),
        // a dashed line, then the values.
        guard let headerIndex = lines.firstIndex(where: { words($0).first == "WNS(ns)" }),
            headerIndex + 2 < lines.count
        else {
            throw PackagingError(
                "\(file): no 'Design Timing Summary' table (a line starting with WNS(ns)); expected a Vivado report_timing_summary report")
        }
        let values = words(lines[headerIndex + 2])
        guard values.count >= 8, let wns = Double(values[0]), let tns = Double(values[1]),
            let failing = Int(values[2]), let whs = Double(values[4])
        else {
            throw PackagingError(
                "\(file): line \(headerIndex + 3): expected the WNS, TNS, failing endpoints and WHS values of the Design Timing"
                    + " Summary, found \(String(reflecting: lines[headerIndex + 2]))"
            )
        }
        // Vivado prints `inf` when no path is timed (e.g. no clock on a combinational design): no Fmax follows.
        guard wns.isFinite, tns.isFinite else {
            throw PackagingError(
                "\(file): line \(headerIndex + 3): WNS is \(values[0]), so no path was timed; regenerate gen/vivado/clock.xdc"
                    + " with `lutbuild build` (it constrains every input and output) and rerun build.tcl"
            )
        }
        guard let clockHeader = lines.firstIndex(where: { words($0).starts(with: ["Clock", "Waveform(ns)", "Period(ns)"]) }),
            clockHeader + 2 < lines.count
        else {
            throw PackagingError("\(file): no 'Clock Summary' table; expected the design's clock (create_clock) to be reported")
        }
        // "clk    {0.000 1.000}        2.000           500.000"
        let clockLine = words(lines[clockHeader + 2])
        guard clockLine.count >= 4, let period = Double(clockLine[clockLine.count - 2]) else {
            throw PackagingError(
                "\(file): line \(clockHeader + 3): expected a clock name, waveform, period and frequency, found"
                    + " \(String(reflecting: lines[clockHeader + 2]))"
            )
        }
        return TimingSummary(
            wnsNs: wns, tnsNs: tns, setupFailingEndpoints: failing, whsNs: whs,
            clockName: clockLine[0], clockPeriodNs: period,
            constraintsMet: text.contains("All user specified timing constraints are met."),
            inputsWithoutDelay: checkTimingCount("no_input_delay", in: lines),
            outputsWithoutDelay: checkTimingCount("no_output_delay", in: lines)
        )
    }

    /// N of check_timing's "k. checking <check> (N)" line.
    private static func checkTimingCount(_ check: String, in lines: [String]) -> Int? {
        for line in lines {
            let w = words(line)
            if w.count == 4, w[1] == "checking", w[2] == check {
                return Int(w[3].trimmingCharacters(in: CharacterSet(charactersIn: "()")))
            }
        }
        return nil
    }

    private static func words(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
}
