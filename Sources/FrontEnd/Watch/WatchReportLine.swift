import BuildGraph
import Foundation

/// One printed line per watch-loop report: `[12:04:31] build #3: …`.
public enum WatchReportLine {
    /// Paths under `root` are shown relative to it.
    public static func text(for report: WatchReport, root: String) -> String {
        let time = timestamp()
        switch report {
        case .buildStarted(let number, let paths):
            let names = paths.map { $0.hasPrefix(root + "/") ? String($0.dropFirst(root.count + 1)) : $0 }
            let reason =
                names.isEmpty
                ? "initial build"
                : names.count <= 3
                    ? names.joined(separator: ", ") + " changed"
                    : "\(names.count) inputs changed"
            return "[\(time)] build #\(number): \(reason)"
        case .buildSucceeded(let number, let summary):
            return "[\(time)] build #\(number) \(summary)"
        case .buildFailed(let number, let message):
            return "[\(time)] build #\(number): \(message) — still watching"
        case .buildCancelled(let number):
            return "[\(time)] build #\(number): stopped (inputs changed again)"
        }
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
