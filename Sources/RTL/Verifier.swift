import Allocation
import Foundation
import Subprocess
import NeuraLUT

/// An RTL simulator the verifier can drive.
public enum Simulator: String, Hashable, Codable, Sendable, CaseIterable {
    case verilator, iverilog

    /// Verilator when installed, else iverilog; nil when neither is.
    public static func available() -> Simulator? {
        allCases.first { $0.isInstalled }
    }

    /// Networks of up to this many partitions (about 4 MB of Verilog)
    /// simulate faster in iverilog (no compile step) than in Verilator, whose
    /// C++ compile dominates small runs (docs/hardware.md, "Verification").
    public static let iverilogPartitionLimit = 400

    /// The automatic choice, a rule of the network's size and the installed
    /// simulators only, so it is known before anything is built (and enters
    /// verify's key as the simulator it picks): iverilog up to
    /// `iverilogPartitionLimit` partitions, else Verilator; the other one when
    /// only it is installed; nil when none is.
    public static func available(forPartitions partitions: Int) -> Simulator? {
        let preferred: [Simulator] = partitions <= iverilogPartitionLimit ? [.iverilog, .verilator] : [.verilator, .iverilog]
        return preferred.first(where: \.isInstalled)
    }

    public var isInstalled: Bool {
        switch self {
        case .verilator: return ExternalTool.find("verilator") != nil
        case .iverilog: return ExternalTool.find("iverilog") != nil && ExternalTool.find("vvp") != nil
        }
    }
}

/// Outcome of simulating the design against software LUT inference.
public struct VerificationReport: Hashable, Codable, Sendable {
    public var simulator: Simulator
    public var samples: Int
    /// Samples whose `out_data` or `out_class` differ from software; must be 0.
    public var mismatches: Int
    public var cycles: Int
    /// RTL test accuracy: `out_class` against the labels (with no argmax
    /// port: samples whose `out_data` is right and whose argmax is the label).
    public var accuracy: Double?
    public var compileSeconds: Double
    public var runSeconds: Double
    public var wallSeconds: Double

    public var passed: Bool { mismatches == 0 }

    /// One line for people.
    public var summary: String {
        let accuracyText = accuracy.map { String(format: ", RTL accuracy %.4f", $0) } ?? ""
        return "\(simulator.rawValue): \(samples) samples, \(mismatches) mismatches, \(cycles) cycles\(accuracyText), "
            + String(format: "%.2f s (compile %.2f s, run %.2f s)", wallSeconds, compileSeconds, runSeconds)
    }
}

/// Compiles and runs the self-checking testbench with Verilator or iverilog.
public struct Verifier: Sendable {
    /// nil picks by network size (`Simulator.available(forPartitions:)`).
    public var simulator: Simulator?
    /// Limit for compiling and for running, each, in seconds.
    public var timeout: Double
    /// Polled while a compiler or simulator runs; true stops it within
    /// `ExternalTool.terminationGrace` and throws `CancellationError`.
    public var isCancelled: @Sendable () -> Bool

    public init(simulator: Simulator? = nil, timeout: Double = 1800, isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.simulator = simulator
        self.timeout = timeout
        self.isCancelled = isCancelled
    }

    /// Writes the design and testbench into `directory` (`rtl/`, `tb/`),
    /// simulates, and reports. Does not throw on mismatches: check `passed`.
    public func verify(design: RTLDesign, network: LUTNetwork, vectors: TestVectors, in directory: URL) throws -> VerificationReport {
        let rtl = directory.appendingPathComponent("rtl"), tb = directory.appendingPathComponent("tb")
        let files = design.simulationModels + design.files
        try write(files, to: rtl)
        try write(Testbench.files(design: design, network: network, vectors: vectors), to: tb)
        var resolved = self
        resolved.simulator = simulator ?? Simulator.available(forPartitions: network.spec.layers.map(\.partitions).reduce(0, +))
        var report = try resolved.run(rtlFiles: files.map { rtl.appendingPathComponent($0.path) }, testbenchDirectory: tb)
        if vectors.labels == nil { report.accuracy = nil }
        return report
    }

    /// Simulates `rtlFiles` with the testbench already written to
    /// `testbenchDirectory` (as by `Testbench.files`); build products go there too.
    public func run(rtlFiles: [URL], testbenchDirectory tb: URL) throws -> VerificationReport {
        // Without a simulator: one module per file, about one per partition.
        guard let simulator = simulator ?? Simulator.available(forPartitions: rtlFiles.count) else {
            throw RTLError(
                "no RTL simulator found: install Verilator (preferred) or Icarus Verilog (iverilog + vvp) and make sure it is on PATH")
        }
        guard simulator.isInstalled else {
            throw RTLError("simulator \(simulator.rawValue) is not installed or not on PATH")
        }
        let start = Date()
        let sources = rtlFiles.map(\.path) + [tb.appendingPathComponent("\(Testbench.moduleName).v").path]
        func tool(_ executable: String, _ arguments: [String]) throws -> ExternalTool.Result {
            try ExternalTool.run(executable, arguments, in: tb, timeout: timeout, isCancelled: isCancelled)
        }
        let compile: ExternalTool.Result, simulation: ExternalTool.Result
        switch simulator {
        case .verilator:
            let list = tb.appendingPathComponent(Self.verilatorSourceList)
            try Data(Self.sourceList(sources, relativeTo: tb).utf8).write(to: list, options: .atomic)
            compile = try tool(ExternalTool.find("verilator")!, Self.verilatorArguments(sourceList: list.lastPathComponent))
            try check(compile, "verilator compile")
            simulation = try tool(tb.appendingPathComponent("obj_dir/V\(Testbench.moduleName)").path, [])
        case .iverilog:
            compile = try tool(
                ExternalTool.find("iverilog")!,
                ["-g2005", "-o", "\(Testbench.moduleName).vvp", "-s", Testbench.moduleName] + sources)
            try check(compile, "iverilog compile")
            simulation = try tool(ExternalTool.find("vvp")!, ["-n", "\(Testbench.moduleName).vvp"])
        }
        // The testbench exits non-zero ($fatal) after printing its summary when samples
        // mismatch; that is a verdict, not a failed run. Without a summary, it is a failed run.
        guard let line = simulation.output.split(separator: "\n").last(where: { $0.hasPrefix(Testbench.summaryPrefix) }) else {
            try check(simulation, "simulation")
            throw RTLError("the testbench printed no \(Testbench.summaryPrefix) line:\n\(ExternalTool.tail(simulation.output))")
        }
        let fields = Self.fields(of: String(line))
        guard let samples = fields["samples"], let mismatches = fields["mismatches"], let cycles = fields["cycles"],
            let correct = fields["correct"]
        else {
            throw RTLError("malformed testbench summary: \(line)")
        }
        if mismatches == 0 { try check(simulation, "simulation") }
        return VerificationReport(
            simulator: simulator, samples: samples, mismatches: mismatches, cycles: cycles,
            accuracy: samples > 0 ? Double(correct) / Double(samples) : nil,
            compileSeconds: compile.seconds, runSeconds: simulation.seconds,
            wallSeconds: Date().timeIntervalSince(start))
    }

    /// Verilator options chosen for compile time, which dominates on large
    /// designs (docs/hardware.md, "Verification"): the generated C++ is
    /// compiled at -O0 (a test set simulates in seconds even so, and every
    /// optimisation level costs more compile time than it saves), in few files
    /// (each file parses the design's header again: about a second on
    /// mnist-5l) holding small functions (gcc's time grows faster than the
    /// size of a function), with one build job per core.
    ///
    /// The sources are named in an option file (`-f`), not on the command
    /// line: the `verilator` wrapper runs `verilator_bin` through `/bin/sh`
    /// with the whole command as one string, which Linux caps at 128 KiB
    /// (MAX_ARG_STRLEN); mnist-lean's 2,177 files in a project folder 70
    /// characters deep passed that.
    static func verilatorArguments(sourceList: String, jobs: Int = CPUAllocation.count) -> [String] {
        [
            "--binary", "-j", "\(max(jobs, 1))", "--top-module", Testbench.moduleName,
            "-Wno-fatal", "-Wno-lint", "-Wno-style", "-Wno-STMTDLY", "-Wno-INITIALDLY",
            "--x-assign", "fast", "--x-initial", "fast",
            "--output-split", "300000", "--output-split-cfuncs", "250",
            "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0",
            "-f", sourceList,
        ]
    }

    /// The option file naming the sources, in the testbench folder.
    static let verilatorSourceList = "sources.f"

    /// One source per line, relative to `directory` when inside its parent (the
    /// verify folder's generated names hold no spaces, whatever the project's path).
    static func sourceList(_ sources: [String], relativeTo directory: URL) -> String {
        let parent = directory.deletingLastPathComponent().standardizedFileURL.path + "/"
        let folder = directory.standardizedFileURL.path + "/"
        return sources.map { source in
            let path = URL(fileURLWithPath: source).standardizedFileURL.path
            if path.hasPrefix(folder) { return String(path.dropFirst(folder.count)) }
            if path.hasPrefix(parent) { return "../" + path.dropFirst(parent.count) }
            return path
        }.joined(separator: "\n") + "\n"
    }

    private func check(_ result: ExternalTool.Result, _ what: String) throws {
        guard result.status == 0 else {
            throw RTLError("\(what) failed with status \(result.status):\n\(ExternalTool.tail(result.output))")
        }
    }

    /// `key=value` integer fields of a summary line.
    static func fields(of line: String) -> [String: Int] {
        var fields: [String: Int] = [:]
        for part in line.split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, let value = Int(pair[1]) { fields[String(pair[0])] = value }
        }
        return fields
    }

    private func write(_ files: [GeneratedFile], to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in files {
            try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.path), options: .atomic)
        }
    }
}
