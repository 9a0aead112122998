import DeterministicJSON
import Foundation
import Packaging
import Pipeline
import ProjectFile

/// Vivado's measurements of the generated design (read from the reports a
/// user's run of `gen/vivado/build.tcl` wrote), set against the `[fpga]`
/// target, so real LUTs and Fmax join the build's reports.
public struct VivadoReportImport: Sendable, Equatable {
    /// Where the imported results are kept, next to the build's other reports.
    public static let outputPath = OutputLayout.Report.vivado

    public let reports: VivadoReports
    /// `[fpga] part` and `[fpga] clock_mhz` of the project.
    public let targetPart: String
    public let targetClockMHz: Double

    public init(reports: VivadoReports, targetPart: String, targetClockMHz: Double) {
        self.reports = reports
        self.targetPart = targetPart
        self.targetClockMHz = targetClockMHz
    }

    /// Parses the reports in `directory` for the project's `[fpga]` target.
    /// Throws a `PipelineError` naming the folder or the report that is missing or not understood.
    public static func read(directory: URL, fpga: FPGASection) throws -> VivadoReportImport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PipelineError(
                "\(directory.path): no such directory; expected the folder where gen/vivado/build.tcl wrote its reports"
                    + " (gen/vivado/reports)"
            )
        }
        do {
            return VivadoReportImport(
                reports: try VivadoReports.parse(directory: directory),
                targetPart: fpga.part, targetClockMHz: fpga.clockMHz)
        } catch let error as PackagingError {
            throw PipelineError(error.message)
        }
    }

    /// Whether the routed design runs at the target clock or faster.
    public var meetsTargetClock: Bool { reports.timing.achievedFmaxMHz >= targetClockMHz * (1 - 1e-9) }

    /// Whether the device in the report is the target part. Vivado prints
    /// it with and without dashes and speed grade (`xcvu9pflgb2104-2` for
    /// `xcvu9p-flgb2104-2-i`), so only letters and digits are compared.
    public var partMatches: Bool? {
        guard let device = reports.device else { return nil }
        let reported = Self.alphanumerics(device), target = Self.alphanumerics(targetPart)
        return target.hasPrefix(reported) || reported.hasPrefix(target)
    }

    /// The JSON of `gen/reports/vivado.json`: sorted keys, no paths or
    /// times, so the same reports always give the same bytes.
    public func json() throws -> Data {
        struct Stored: Encodable {
            var target: Target
            var meetsTargetClock: Bool
            var partMatches: Bool?
            var vivado: VivadoReports
        }
        struct Target: Encodable {
            var part: String
            var clockMHz: Double
        }
        let encoder = DeterministicJSON.fileEncoder()
        encoder.keyEncodingStrategy = .custom { path in SnakeCaseKey(path.last!.stringValue) }
        var data = try encoder.encode(
            Stored(
                target: Target(part: targetPart, clockMHz: targetClockMHz),
                meetsTargetClock: meetsTargetClock, partMatches: partMatches, vivado: reports))
        data.append(0x0A)
        return data
    }

    /// Writes `gen/reports/vivado.json` under `projectDirectory` atomically
    /// (a reader never sees half a file).
    public func write(projectDirectory: URL) throws {
        let url = projectDirectory.appendingPathComponent(Self.outputPath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try json().write(to: url, options: .atomic)
    }

    /// The human summary: LUTs, FFs, WNS, achieved Fmax against the target, part.
    public var summaryLines: [String] {
        let u = reports.utilization, t = reports.timing
        var lines: [String] = []
        let about = [reports.design, reports.toolVersion.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }, u.designState]
            .compactMap { $0 }.joined(separator: ", ")
        lines.append("Vivado results" + (about.isEmpty ? ":" : " (\(about)):"))
        var lutDetail: [String] = []
        if let logic = u.lutsAsLogic { lutDetail.append("logic \(logic)") }
        if let memory = u.lutsAsMemory { lutDetail.append("memory \(memory)") }
        lines.append("  LUTs   \(u.luts)" + (lutDetail.isEmpty ? "" : " (\(lutDetail.joined(separator: ", ")))"))
        lines.append("  FFs    \(u.registers)")
        lines.append(
            "  WNS    \(Self.fixed(t.wnsNs, 3)) ns" + (t.setupFailingEndpoints > 0 ? " (\(t.setupFailingEndpoints) failing endpoints)" : "")
        )
        let verdict = meetsTargetClock ? "target met" : "target NOT met"
        lines.append(
            "  Fmax   \(Self.fixed(t.achievedFmaxMHz, 1)) MHz achieved vs \(Self.fixed(targetClockMHz, 1)) MHz target ([fpga]"
                + " clock_mhz): \(verdict)"
        )
        lines.append("         covers \(t.coverage)")
        if abs(1000 / t.clockPeriodNs - targetClockMHz) > 1e-6 * targetClockMHz {
            lines.append(
                "         note: the reports were made with a \(Self.fixed(t.clockPeriodNs, 3)) ns clock, not the current target;"
                    + " rerun build.tcl"
            )
        }
        let device = reports.device ?? "not reported"
        var partLine = "  part   \(targetPart) (target), \(device) (in the report)"
        if partMatches == false { partLine += ": a different part than [fpga] part" }
        lines.append(partLine)
        return lines
    }

    /// `achievedFmaxMHz` → `achieved_fmax_mhz`, `blockRAMTiles` → `block_ram_tiles`
    /// (Foundation's own conversion would give `achieved_fmax_m_hz`).
    private struct SnakeCaseKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(_ camel: String) {
            let characters = Array(camel.replacingOccurrences(of: "MHz", with: "Mhz"))
            var text = ""
            for (index, character) in characters.enumerated() {
                if character.isUppercase, index > 0 {
                    let previous = characters[index - 1]
                    let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                    if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { text += "_" }
                }
                text += character.lowercased()
            }
            stringValue = text
        }

        init?(stringValue: String) { self.init(stringValue) }
        init?(intValue: Int) { nil }
    }

    private static func alphanumerics(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
