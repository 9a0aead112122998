import Foundation
import Pipeline

/// The figures of a finished build that matter while iterating, read from
/// the reports it published in gen/reports.
public struct BuildMetrics: Sendable, Equatable {
    /// RTL test accuracy (0…1) from gen/reports/verify.json, when verification ran and the data has labels.
    public var testAccuracy: Double?
    /// LUTs of yosys' estimate from gen/reports/estimate.json, when the estimate ran.
    public var luts: Int?

    public init(testAccuracy: Double? = nil, luts: Int? = nil) {
        self.testAccuracy = testAccuracy
        self.luts = luts
    }

    /// Where the verify and estimate steps publish their reports.
    public static let verifyReport = OutputLayout.Report.verify
    public static let estimateReport = OutputLayout.Report.estimateJSON

    /// Reads the reports of the build that just finished in `project`. A
    /// report that is missing or unreadable leaves its figure unknown.
    public static func read(project: URL) -> BuildMetrics {
        func number(_ key: String, in report: String) -> NSNumber? {
            guard let data = FileManager.default.contents(atPath: project.appendingPathComponent(report).path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return object[key] as? NSNumber
        }
        return BuildMetrics(testAccuracy: number("accuracy", in: verifyReport)?.doubleValue,
                            luts: number("luts", in: estimateReport)?.intValue)
    }
}
