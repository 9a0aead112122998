import Foundation

/// The figures of a finished build that matter while iterating, read from
/// the reports it published in gen/reports.
public struct BuildMetrics: Sendable, Equatable {
    /// RTL test accuracy (0…1) from gen/reports/verify.json, when verification ran and the data has labels.
    public var testAccuracy: Double?

    public init(testAccuracy: Double? = nil) {
        self.testAccuracy = testAccuracy
    }

    /// Where the verify step publishes its report.
    public static let verifyReport = "gen/reports/verify.json"

    /// Reads the reports of the build that just finished in `project`. A
    /// report that is missing or unreadable leaves its figure unknown.
    public static func read(project: URL) -> BuildMetrics {
        let url = project.appendingPathComponent(verifyReport)
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return BuildMetrics()
        }
        return BuildMetrics(testAccuracy: (object["accuracy"] as? NSNumber)?.doubleValue)
    }
}
