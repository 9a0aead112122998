import Foundation
import Pipeline
import Synchronization

/// The one-line summary of each rebuild in watch mode: what ran, how long it
/// took, the test accuracy and the LUT count with their change since the
/// previous build, so the effect of an edit is visible at a glance.
public final class RebuildSummary: Sendable {
    private let previous = Mutex<BuildResults?>(nil)
    private let measuresAccuracy: Bool
    private let measuresLUTs: Bool

    /// Pass false for a figure whose step the builds skip (`--no-verify`,
    /// `--no-estimate`), so the line says so instead of showing a stale report.
    public init(measuresAccuracy: Bool = true, measuresLUTs: Bool = true) {
        self.measuresAccuracy = measuresAccuracy
        self.measuresLUTs = measuresLUTs
    }

    /// `ok in 4.2 s: ran 12 steps (trained 3 partitions), 40 cached, test acc 85.2% (+0.3), LUTs 1234 (−56)`;
    /// remembers the outcome's results (from the build's summary event) for the next line's changes.
    public func line(_ outcome: ChildBuildOutcome) -> String {
        let results = outcome.results
        let before = previous.withLock { last -> BuildResults? in
            defer { last = results }
            return last
        }
        var text = "ok in \(String(format: "%.1f", outcome.seconds)) s: ran \(outcome.ran) step\(outcome.ran == 1 ? "" : "s")"
        if outcome.trainedPartitions > 0 {
            text += " (trained \(outcome.trainedPartitions) partition\(outcome.trainedPartitions == 1 ? "" : "s"))"
        }
        text += ", \(outcome.cached) cached"

        if !measuresAccuracy {
            text += ", test acc not measured (--no-verify)"
        } else if let accuracy = results.verification?.accuracy {
            text += ", test acc \(String(format: "%.1f", accuracy * 100))%"
            if let old = before?.verification?.accuracy { text += " (\(Self.signed((accuracy - old) * 100, digits: 1)))" }
        } else {
            text += ", test acc n/a"
        }

        if !measuresLUTs {
            text += ", LUTs not estimated (--no-estimate)"
        } else if let luts = results.resources?.luts {
            text += ", LUTs \(luts)"
            if let old = before?.resources?.luts { text += " (\(Self.signed(Double(luts - old), digits: 0)))" }
        } else {
            text += ", LUTs n/a"
        }
        return text
    }

    /// A change as `+0.3`, `−1.2`, `±0.0` (or `+12`, `−56`, `±0` with no digits).
    static func signed(_ change: Double, digits: Int) -> String {
        let scale = pow(10, Double(digits))
        let rounded = (change * scale).rounded() / scale
        let magnitude = String(format: "%.\(digits)f", abs(rounded))
        if rounded == 0 { return "±" + magnitude }
        return (rounded > 0 ? "+" : "−") + magnitude
    }
}
