import Foundation
import Synchronization

/// The one-line summary of each rebuild in watch mode: what ran, how long it
/// took, and the test accuracy with its change since the previous build, so
/// the effect of an edit is visible at a glance.
public final class RebuildSummary: Sendable {
    private let previous = Mutex<BuildMetrics?>(nil)
    private let accuracyMeasured: Bool

    /// `accuracyMeasured` is false when the builds skip verification, so the line says so instead of showing a stale figure.
    public init(accuracyMeasured: Bool = true) {
        self.accuracyMeasured = accuracyMeasured
    }

    /// `ok in 4.2 s: ran 12 steps (trained 3 partitions), 40 cached, test acc 85.2% (+0.3)`;
    /// remembers `metrics` for the next line's change.
    public func line(_ outcome: ChildBuildOutcome, metrics: BuildMetrics) -> String {
        var text = "ok in \(String(format: "%.1f", outcome.seconds)) s: ran \(outcome.ran) step\(outcome.ran == 1 ? "" : "s")"
        if outcome.trainedPartitions > 0 {
            text += " (trained \(outcome.trainedPartitions) partition\(outcome.trainedPartitions == 1 ? "" : "s"))"
        }
        text += ", \(outcome.cached) cached"
        guard accuracyMeasured else { return text + ", test acc not measured (--no-verify)" }
        let before = previous.withLock { last -> BuildMetrics? in
            defer { last = metrics }
            return last
        }
        guard let accuracy = metrics.testAccuracy else { return text + ", test acc n/a" }
        text += ", test acc \(String(format: "%.1f", accuracy * 100))%"
        if let old = before?.testAccuracy { text += " (\(Self.signedPoints(accuracy - old)))" }
        return text
    }

    /// A change in percentage points: `+0.3`, `−1.2`, `±0.0`.
    static func signedPoints(_ change: Double) -> String {
        let points = (change * 1000).rounded() / 10
        if points == 0 { return "±0.0" }
        return (points > 0 ? "+" : "−") + String(format: "%.1f", abs(points))
    }
}
