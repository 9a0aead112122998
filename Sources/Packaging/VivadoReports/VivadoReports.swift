import Foundation

/// What a Vivado run of `gen/vivado/build.tcl` measured, read back from its
/// text reports so the build report can show real LUTs and Fmax even when
/// Vivado ran on another machine.
public struct VivadoReports: Sendable, Hashable, Codable {
    public var design: String?
    public var device: String?
    public var toolVersion: String?
    public var utilization: Utilization
    public var timing: TimingSummary
    /// Per-instance LUTs, when the hierarchical report is present.
    public var hierarchy: [HierarchyEntry]?

    public init(
        design: String?, device: String?, toolVersion: String?,
        utilization: Utilization, timing: TimingSummary, hierarchy: [HierarchyEntry]?
    ) {
        self.design = design
        self.device = device
        self.toolVersion = toolVersion
        self.utilization = utilization
        self.timing = timing
        self.hierarchy = hierarchy
    }

    /// Reads `utilization.rpt`, `timing_summary.rpt` and, if present,
    /// `utilization_hierarchical.rpt` from `directory` (the names build.tcl
    /// writes into `gen/vivado/reports`). Throws a `PackagingError` naming the
    /// file that is missing or not understood.
    public static func parse(directory: URL) throws -> VivadoReports {
        typealias R = PackagingLayout.Report
        let utilizationText = try read(directory, R.utilization)
        let timingText = try read(directory, R.timingSummary)
        let hierarchyURL = directory.appendingPathComponent(R.hierarchicalUtilization)
        let hierarchy =
            FileManager.default.fileExists(atPath: hierarchyURL.path)
            ? try HierarchyEntry.parse(read(directory, R.hierarchicalUtilization), file: hierarchyURL.path)
            : nil
        let utilizationPath = directory.appendingPathComponent(R.utilization).path
        return try VivadoReports(
            design: reportHeaderField("Design", in: utilizationText),
            device: reportHeaderField("Device", in: utilizationText),
            toolVersion: reportHeaderField("Tool Version", in: utilizationText),
            utilization: Utilization.parse(utilizationText, file: utilizationPath),
            timing: TimingSummary.parse(timingText, file: directory.appendingPathComponent(R.timingSummary).path),
            hierarchy: hierarchy
        )
    }

    private static func read(_ directory: URL, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PackagingError("\(url.path): cannot read the Vivado report; expected build.tcl's reports (\(name)) in \(directory.path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
