import Foundation
import Testing

/// `fusesoc` from PATH; scripts/test.sh installs it (`pip install fusesoc`).
private let fuseSoC: URL? = ProcessInfo.processInfo.environment["PATH"]?
    .split(separator: ":")
    .map { URL(fileURLWithPath: String($0)).appendingPathComponent("fusesoc") }
    .first { FileManager.default.isExecutableFile(atPath: $0.path) }

/// The generated `.core` run through the real FuseSoC on a freshly built project.
@Suite(.serialized) struct FuseSoCTargetTests {
    static let vlnv = "example.org:lutnn:digits_lut:1.0"

    private func fusesoc(_ arguments: [String], in project: TinyProject, path: String? = nil) throws -> LutbuildBinary.Result {
        guard let fuseSoC else {
            throw TestFailure("fusesoc is not on PATH: run scripts/test.sh, or `python3 -m pip install fusesoc`")
        }
        var environment = ProcessInfo.processInfo.environment
        if let path { environment["PATH"] = path }
        return try LutbuildBinary.runProcess(fuseSoC, ["--cores-root", "gen"] + arguments, in: project.url, environment: environment)
    }

    /// The sim target copies the vector files next to the simulator, passes on
    /// a fresh build and exits non-zero once a table of the design is corrupted.
    @Test func simTargetPassesAndFailsOnACorruptedTable() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let build = try project.build()
        try #require(build.status == 0, "\(build.stderr)")

        let fresh = try fusesoc(["run", "--target=sim", Self.vlnv], in: project)
        #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
        #expect(fresh.stdout.contains("LUTBUILD_VERIFY samples=359 mismatches=0"), "\(fresh.stdout)")
        #expect(!(fresh.stdout + fresh.stderr).contains("Unable to open"))

        // Invert the low output bit of the last layer's first table, in the RTL only (mapped or case-ROM form).
        let rtl = try FileManager.default.contentsOfDirectory(atPath: project.scratch.path("gen/rtl").path)
        let table = try #require(rtl.filter { $0.hasSuffix("_p0.v") }.max(), "no partition module in gen/rtl: \(rtl)")
        let original = try project.scratch.read("gen/rtl/\(table)")
        let corrupted = original.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("    assign data[0] = "), line.hasSuffix(";") {
                return "    assign data[0] = ~(" + line.dropFirst("    assign data[0] = ".count).dropLast() + ");"
            }
            guard line.contains(": data = "), let last = line.dropLast().last, let digit = Int(String(last), radix: 16) else {
                return String(line)
            }
            return String(line.dropLast(2)) + String(digit ^ 1, radix: 16) + ";"
        }.joined(separator: "\n")
        #expect(corrupted != original)
        try project.scratch.write("gen/rtl/\(table)", corrupted)

        let broken = try fusesoc(["run", "--target=sim", Self.vlnv], in: project)
        #expect(broken.status != 0, "fusesoc must fail on a mismatch:\n\(broken.stdout)")
        #expect(broken.stdout.contains("MISMATCH sample="), "\(broken.stdout)")
    }

    /// `sim` runs in Icarus and in Verilator (a binary with --timing): both
    /// pass on a fresh build and both fail once one expected output vector is wrong.
    @Test(arguments: ["icarus", "verilator"])
    func simTargetRunsInEitherSimulatorAndFailsOnACorruptedVector(tool: String) throws {
        let project = try TinyProject()
        defer { project.remove() }
        let build = try project.build()
        try #require(build.status == 0, "\(build.stderr)")

        let fresh = try fusesoc(["run", "--target=sim", "--tool=\(tool)", Self.vlnv], in: project)
        #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
        #expect(fresh.stdout.contains("LUTBUILD_VERIFY samples=359 mismatches=0"), "\(fresh.stdout)\(fresh.stderr)")

        // Flip the low bit of the first expected out_data.
        let original = try project.scratch.read("gen/tb/outputs.hex")
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = try #require(lines.firstIndex { !$0.isEmpty && !$0.hasPrefix("//") })
        let digit = try #require(Int(String(lines[first].last!), radix: 16))
        lines[first] = String(lines[first].dropLast()) + String(digit ^ 1, radix: 16)
        try project.scratch.write("gen/tb/outputs.hex", lines.joined(separator: "\n"))

        let broken = try fusesoc(["run", "--target=sim", "--tool=\(tool)", Self.vlnv], in: project)
        #expect(broken.status != 0, "fusesoc must fail on a mismatch:\n\(broken.stdout)")
        #expect(broken.stdout.contains("MISMATCH sample=0 out_data got="), "\(broken.stdout)")
        #expect(broken.stdout.contains("mismatches=1 "), "\(broken.stdout)")
    }

    /// With `primitives = "xilinx"` the RTL instantiates LUT1…LUT6: the core
    /// ships lutbuild's models of them, so `sim` (both simulators) and `lint` pass.
    @Test func xilinxPrimitivesSimulateAndLintWithTheShippedCellModels() throws {
        let project = try TinyProject()
        defer { project.remove() }
        try project.edit("\n[fpga]", "primitives = \"xilinx\"\n\n[fpga]")
        let build = try project.build()
        try #require(build.status == 0, "\(build.stderr)")
        #expect(project.scratch.exists("gen/sim/lutbuild_unisim_luts.v"))

        for tool in ["icarus", "verilator"] {
            let sim = try fusesoc(["run", "--target=sim", "--tool=\(tool)", Self.vlnv], in: project)
            #expect(sim.status == 0, "\(tool): \(sim.stdout)\(sim.stderr)")
            #expect(sim.stdout.contains("LUTBUILD_VERIFY samples=359 mismatches=0"), "\(tool): \(sim.stdout)\(sim.stderr)")
        }
        let lint = try fusesoc(["run", "--target=lint", Self.vlnv], in: project)
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        #expect(!(lint.stdout + lint.stderr).contains("Unknown module type"))
    }

    /// With `interface = "axis"` the sim target runs the AXI4-Stream
    /// testbench (random backpressure) in both simulators.
    @Test func simTargetCoversTheAXI4StreamInterface() throws {
        let project = try TinyProject()
        defer { project.remove() }
        try project.edit("\n[fpga]", "interface = \"axis\"\n\n[fpga]")
        let build = try project.build()
        try #require(build.status == 0, "\(build.stderr)")
        #expect(try project.scratch.read("gen/tb/lutbuild_tb.v").contains("s_axis_tready"))
        for tool in ["icarus", "verilator"] {
            let sim = try fusesoc(["run", "--target=sim", "--tool=\(tool)", Self.vlnv], in: project)
            #expect(sim.status == 0, "\(tool): \(sim.stdout)\(sim.stderr)")
            #expect(sim.stdout.contains("LUTBUILD_VERIFY samples=359 mismatches=0"), "\(tool): \(sim.stdout)\(sim.stderr)")
        }
    }

    /// The synth target creates the project and runs synthesis, never
    /// implementation or a bitstream (Vivado is replaced by a recorder).
    @Test func synthTargetStopsAfterSynthesis() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let build = try project.build()
        try #require(build.status == 0, "\(build.stderr)")

        let stubs = project.scratch.path("stub-bin"), log = project.scratch.path("vivado-calls.log")
        try project.scratch.write(
            "stub-bin/vivado",
            """
            #!/bin/sh
            # Records each call and creates the file make expects from it.
            echo "$*" >> '\(log.path)'
            for argument in "$@"; do
                case "$argument" in
                    *_synth.tcl) touch "${argument%_synth.tcl}.v" "${argument%_synth.tcl}.edn" ;;
                    *_run.tcl) touch "${argument%_run.tcl}.bit" ;;
                    *_netlist.tcl) ;;
                    *.tcl) touch "${argument%.tcl}.xpr" ;;
                esac
            done

            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stubs.appendingPathComponent("vivado").path)
        let path = stubs.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let run = try fusesoc(["run", "--target=synth", Self.vlnv], in: project, path: path)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let calls = try project.scratch.read("vivado-calls.log").split(separator: "\n").map(String.init)
        #expect(calls.contains { $0.hasSuffix("example.org_lutnn_digits_lut_1.0.tcl") }, "project not created: \(calls)")
        #expect(calls.contains { $0.contains("_synth.tcl") }, "synthesis not run: \(calls)")
        #expect(!calls.contains { $0.contains("_run.tcl") }, "implementation must not run: \(calls)")

        let work = "build/example.org_lutnn_digits_lut_1.0/synth-vivado"
        let projectScript = try project.scratch.read("\(work)/example.org_lutnn_digits_lut_1.0.tcl")
        #expect(projectScript.contains("source {src/example.org_lutnn_digits_lut_1.0/vivado/fusesoc_synth.tcl}"))
        #expect(project.scratch.exists("\(work)/src/example.org_lutnn_digits_lut_1.0/vivado/write_reports.tcl"))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
