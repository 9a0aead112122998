import DeterministicJSON
import Foundation
import Subprocess

/// FPGA resources of a design after yosys' Xilinx synthesis: a quick
/// estimate without Vivado (Vivado's own counts differ somewhat).
public struct ResourceEstimate: Hashable, Codable, Sendable {
    /// `synth_xilinx -family` value, e.g. `xcup` (UltraScale+).
    public var family: String
    public var top: String
    /// LUTs by input count: `lutsBySize[k]` = number of LUTk, k = 1…6 (index 0 unused).
    public var lutsBySize: [Int]
    public var luts: Int
    public var muxF7: Int
    public var muxF8: Int
    public var muxF9: Int
    /// All flip-flop cells (FDRE, FDSE, FDCE, FDPE).
    public var flipFlops: Int
    public var carryChains: Int
    /// Any other cell types, by name.
    public var otherCells: [String: Int]
    /// Cells on the longest path between registers or ports (`ltp` on all
    /// cells but the flip-flops):
    /// LUT levels plus MUXF/CARRY cells, the register-to-register logic depth.
    public var logicDepth: Int
    /// yosys' run time: shown to people, never written to JSON (reports are
    /// published and hashed, so they hold only what the design determines).
    public var seconds: Double = 0

    private enum CodingKeys: String, CodingKey {
        case family, top, lutsBySize, luts, muxF7, muxF8, muxF9, flipFlops, carryChains, otherCells, logicDepth
    }

    /// Deterministic JSON (sorted keys), without the run time.
    public func json() throws -> Data {
        try DeterministicJSON.file(self)
    }

    /// A short table for people.
    public var report: String {
        var lines = ["Resource estimate for \(top) (yosys synth_xilinx -family \(family)):"]
        lines.append("  LUTs        \(luts)  (" + (1...6).map { "LUT\($0) \(lutsBySize[$0])" }.joined(separator: ", ") + ")")
        lines.append("  MUXF7/8/9   \(muxF7) / \(muxF8) / \(muxF9)")
        lines.append("  FFs         \(flipFlops)")
        if carryChains > 0 { lines.append("  CARRY       \(carryChains)") }
        for (name, count) in otherCells.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(count)")
        }
        lines.append("  Logic depth \(logicDepth) cells (register to register)")
        lines.append(String(format: "  (%.1f s)", seconds))
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Runs yosys' Xilinx flow on generated RTL and parses its statistics.
public struct Estimator: Sendable {
    public var family: String
    /// yosys is killed after this many seconds (large designs take minutes).
    public var timeout: Double
    /// Polled while yosys runs; true stops it within `ExternalTool.terminationGrace` and throws `CancellationError`.
    public var isCancelled: @Sendable () -> Bool

    public init(family: String = "xcup", timeout: Double = 1800, isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.family = family
        self.timeout = timeout
        self.isCancelled = isCancelled
    }

    /// Writes `design` to `directory` and estimates it.
    public func estimate(design: RTLDesign, in directory: URL) throws -> ResourceEstimate {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let urls = try design.files.map { file -> URL in
            let url = directory.appendingPathComponent(file.path)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
            return url
        }
        return try estimate(verilogFiles: urls, top: design.topName, workDirectory: directory)
    }

    /// Synthesises `verilogFiles` (out of context: no I/O buffers) with top
    /// module `top`; yosys' script, log and statistics land in `workDirectory`.
    public func estimate(verilogFiles: [URL], top: String, workDirectory: URL) throws -> ResourceEstimate {
        guard let yosys = ExternalTool.find("yosys") else {
            throw RTLError("yosys not found on PATH: install yosys (Debian package 'yosys') to estimate resources")
        }
        let script = """
            read_verilog \(verilogFiles.map { "\"\($0.path)\"" }.joined(separator: " "))
            synth_xilinx -family \(family) -top \(top) -flatten -noiopad -noclkbuf
            tee -q -o estimate_stat.json stat -json
            tee -q -o estimate_ltp.txt ltp -noff t:FD* %n

            """
        let scriptURL = workDirectory.appendingPathComponent("estimate.ys")
        try Data(script.utf8).write(to: scriptURL, options: .atomic)
        let result = try ExternalTool.run(
            yosys, ["-q", "-l", "estimate.log", "-s", scriptURL.path], in: workDirectory,
            timeout: timeout, isCancelled: isCancelled)
        guard result.status == 0 else {
            throw RTLError("yosys failed with status \(result.status):\n\(ExternalTool.tail(result.output))")
        }
        let stat = try Data(contentsOf: workDirectory.appendingPathComponent("estimate_stat.json"))
        let ltp = try String(contentsOf: workDirectory.appendingPathComponent("estimate_ltp.txt"), encoding: .utf8)
        return try Self.parse(stat: stat, ltp: ltp, top: top, family: family, seconds: result.seconds)
    }

    /// Builds the estimate from `stat -json` and `ltp -noff` output.
    static func parse(stat: Data, ltp: String, top: String, family: String, seconds: Double) throws -> ResourceEstimate {
        struct Stat: Decodable {
            struct Module: Decodable { var num_cells_by_type: [String: Int]? }
            var modules: [String: Module]
        }
        let decoded: Stat
        do { decoded = try JSONDecoder().decode(Stat.self, from: stat) } catch {
            throw RTLError("could not read yosys statistics: \(error)")
        }
        let cells = decoded.modules["\\\(top)"]?.num_cells_by_type ?? decoded.modules.values.first?.num_cells_by_type ?? [:]
        var lutsBySize = [Int](repeating: 0, count: 7)
        var estimate = ResourceEstimate(
            family: family, top: top, lutsBySize: [], luts: 0, muxF7: 0, muxF8: 0, muxF9: 0,
            flipFlops: 0, carryChains: 0, otherCells: [:], logicDepth: 0, seconds: seconds)
        for (type, count) in cells {
            switch type {
            case "LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6": lutsBySize[Int(type.dropFirst(3))!] += count
            case "MUXF7": estimate.muxF7 += count
            case "MUXF8": estimate.muxF8 += count
            case "MUXF9": estimate.muxF9 += count
            case "FDRE", "FDSE", "FDCE", "FDPE": estimate.flipFlops += count
            case "CARRY4", "CARRY8": estimate.carryChains += count
            default: estimate.otherCells[type, default: 0] += count
            }
        }
        estimate.lutsBySize = lutsBySize
        estimate.luts = lutsBySize.reduce(0, +)
        guard let match = ltp.range(of: #"length=(\d+)"#, options: .regularExpression),
            let depth = Int(ltp[match].dropFirst("length=".count))
        else {
            throw RTLError("could not read the longest path from yosys' ltp output: \(ExternalTool.tail(ltp, lines: 3))")
        }
        estimate.logicDepth = depth
        return estimate
    }
}
