import Foundation
import Testing
@testable import Packaging

/// The generated TCL run under tclsh with Vivado's commands stubbed.
@Suite("Vivado TCL scripts")
struct TclScriptTests {
    let core = sampleCore()
    let root: URL

    init() throws {
        root = try writeProject(Packager.allFiles(for: core, rtlContents: sampleRTL(for: core)), rtl: sampleRTL(for: core))
    }

    private func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).standardizedFileURL.path
    }

    /// The recorded calls whose command is `command`, as TCL word lists.
    private func calls(_ all: [String], _ command: String) -> [String] {
        all.filter { $0 == command || $0.hasPrefix(command + " ") }
    }

    @Test func buildScriptRunsTheOutOfContextFlowFromAnyDirectory() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.buildScript))
        #expect(calls(recorded, "read_verilog") == core.rtlFiles.map { "read_verilog \(path($0))" })
        #expect(calls(recorded, "read_xdc") == ["read_xdc \(path(PackagingLayout.clockConstraints))"])
        #expect(calls(recorded, "synth_design") == ["synth_design -top digits_lut -part xcvu9p-flgb2104-2-i -mode out_of_context"])
        let flow = recorded.map { String($0.split(separator: " ")[0]) }.filter {
            ["read_xdc", "synth_design", "opt_design", "place_design", "route_design", "report_timing_summary"].contains($0)
        }
        #expect(flow == ["read_xdc", "synth_design", "opt_design", "place_design", "route_design", "report_timing_summary"])
        let reports = path(PackagingLayout.reportsDirectory)
        #expect(calls(recorded, "report_utilization").contains("report_utilization -file \(reports)/utilization.rpt"))
        #expect(
            calls(recorded, "report_utilization").contains(
                "report_utilization -hierarchical -file \(reports)/utilization_hierarchical.rpt"))
        #expect(
            calls(recorded, "report_timing_summary") == [
                "report_timing_summary -max_paths 10 -report_unconstrained -file \(reports)/timing_summary.rpt"
            ])
        #expect(FileManager.default.fileExists(atPath: reports))
    }

    @Test func systemVerilogSourcesAreReadAsSV() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let mixed = sampleCore(rtlFiles: ["gen/rtl/layers.v", "gen/rtl/digits_lut.sv"], simulationFiles: [])
        let project = try writeProject(Packager.vivadoBuildFiles(for: mixed), rtl: sampleRTL(for: mixed))
        defer { try? FileManager.default.removeItem(at: project) }
        let recorded = try VivadoStubs.run(script: project.appendingPathComponent(PackagingLayout.buildScript))
        let base = project.standardizedFileURL.path
        #expect(
            calls(recorded, "read_verilog") == [
                "read_verilog \(base)/gen/rtl/layers.v", "read_verilog -sv \(base)/gen/rtl/digits_lut.sv",
            ])
    }

    @Test func clockConstraintHasThePeriodOfClockMHz() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.clockConstraints))
        #expect(
            recorded == [
                "create_clock -period 2.000 -name clk port:clk",
                "set_input_delay -clock clk 0.000 {port:rst in_valid in_data[*]}",
                "set_output_delay -clock clk 0.000 {port:out_valid out_data[*] out_class[*]}",
            ])

        var slow = core
        slow.clockMHz = 312.5
        #expect(VivadoBuildScript.clockConstraints(for: slow).contains("create_clock -period 3.200 -name clk [get_ports clk]"))
        slow.clockMHz = 300
        #expect(VivadoBuildScript.clockConstraints(for: slow).contains("-period 3.333 "))
    }

    /// A combinational design: a virtual clock times input-to-output paths;
    /// the unused clock port gets no clock, the unused reset no delay.
    @Test func combinationalDesignIsTimedWithAVirtualClock() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var combinational = core
        combinational.latency = 0
        let project = try writeProject(Packager.vivadoBuildFiles(for: combinational), rtl: sampleRTL(for: combinational))
        defer { try? FileManager.default.removeItem(at: project) }
        let recorded = try VivadoStubs.run(script: project.appendingPathComponent(PackagingLayout.clockConstraints))
        #expect(
            recorded == [
                "create_clock -period 2.000 -name virtual_clk",
                "set_input_delay -clock virtual_clk 0.000 {port:in_valid in_data[*]}",
                "set_output_delay -clock virtual_clk 0.000 {port:out_valid out_data[*] out_class[*]}",
            ])
        #expect(VivadoBuildScript.clockConstraints(for: combinational).contains("is combinational (no registers; clk and rst are unused)"))
    }

    /// `[fpga] synthesis_strategy`/`retiming`: the papers' settings, with the
    /// retiming option the running Vivado has, probed (never keyed to a release
    /// number: UG901 for 2022.2 still lists `-retiming`).
    @Test func papersSynthesisSettingsReachSynthDesign() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var tuned = core
        tuned.synthesis = .papers
        let project = try writeProject(Packager.vivadoBuildFiles(for: tuned), rtl: sampleRTL(for: tuned))
        defer { try? FileManager.default.removeItem(at: project) }
        let strategy = "-directive PerformanceOptimized -fsm_extraction one_hot -resource_sharing off -no_lc -shreg_min_size 5"
        // A 2022.2 that still has only -retiming gets -retiming, whatever its release number says.
        for (hasGlobal, version, retiming, property) in [
            (false, "2020.1", "-retiming", "STEPS.SYNTH_DESIGN.ARGS.RETIMING true"),
            (false, "2022.2", "-retiming", "STEPS.SYNTH_DESIGN.ARGS.RETIMING true"),
            (true, "2023.2", "-global_retiming on", "STEPS.SYNTH_DESIGN.ARGS.GLOBAL_RETIMING on"),
        ] {
            let prologue = "set ::stub_global_retiming \(hasGlobal ? 1 : 0); proc version {args} { return \(version) }"
            let recorded = try VivadoStubs.run(script: project.appendingPathComponent(PackagingLayout.buildScript), prologue: prologue)
            #expect(
                calls(recorded, "synth_design") == [
                    "synth_design -top digits_lut -part xcvu9p-flgb2104-2-i -mode out_of_context \(strategy) \(retiming)"
                ], "\(version)")
            let fuseSoC = try VivadoStubs.run(
                script: project.appendingPathComponent(PackagingLayout.fuseSoCSynthesisScript), prologue: prologue)
            #expect(fuseSoC.contains("set_property strategy Flow_PerfOptimized_high run:synth_1"))
            #expect(fuseSoC.contains("set_property \(property) run:synth_1"), "\(version)")
            #expect(fuseSoC.filter { $0.contains("RETIMING") }.count == 1)
        }
    }

    /// FuseSoC's project: out-of-context synthesis with write_reports.tcl as
    /// its post hook, which writes the reports `lutbuild report` reads beside the project.
    @Test func fuseSoCSynthesisRunsOutOfContextAndWritesTheReports() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.fuseSoCSynthesisScript))
        let hook = path(PackagingLayout.reportsScript)
        #expect(
            recorded == [
                "set_property -name {STEPS.SYNTH_DESIGN.ARGS.MORE OPTIONS} -value {-mode out_of_context} -objects run:synth_1",
                "set_property STEPS.SYNTH_DESIGN.TCL.POST \(hook) run:synth_1",
            ])
        // As a hook it runs in <project>/<project>.runs/synth_1.
        let runDirectory = root.appendingPathComponent("fusesoc_work/project.runs/synth_1")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        let reports = try VivadoStubs.run(script: URL(fileURLWithPath: hook), directory: runDirectory)
        let expected = root.appendingPathComponent("fusesoc_work/reports").standardizedFileURL.path
        #expect(
            calls(reports, "report_utilization") == [
                "report_utilization -file \(expected)/utilization.rpt",
                "report_utilization -hierarchical -file \(expected)/utilization_hierarchical.rpt",
            ])
        #expect(
            calls(reports, "report_timing_summary") == [
                "report_timing_summary -max_paths 10 -report_unconstrained -file \(expected)/timing_summary.rpt"
            ])
    }

    @Test func packageIPScriptAddsTheSourcesAndConfiguresClockAndReset() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.packageIPScript))
        let expectedSources = core.rtlFiles.map(path).joined(separator: " ")
        #expect(calls(recorded, "add_files") == ["add_files -norecurse {\(expectedSources)}"])
        let defaultOutput = path("gen/vivado/ip_repo/example.org_lutnn_digits_lut_1.0")
        #expect(
            calls(recorded, "ipx::package_project") == [
                "ipx::package_project -root_dir \(defaultOutput) -vendor example.org -library lutnn -taxonomy /UserIP -import_files -force"
            ])
        #expect(recorded.contains("set_property top digits_lut sources_1"))
        #expect(recorded.contains("set_property version 1.0 core_1"))
        #expect(
            recorded.contains(
                #"set_property description {NeuraLUT digits classifier: 64 [2-bit] inputs -> 10 classes, "quoted" & {braced} $text} core_1"#
            ))
        #expect(recorded.contains("ipx::infer_bus_interface clk xilinx.com:signal:clock_rtl:1.0 core_1"))
        #expect(recorded.contains("ipx::infer_bus_interface rst xilinx.com:signal:reset_rtl:1.0 core_1"))
        #expect(recorded.contains("set_property value rst param:busif:clk/ASSOCIATED_RESET"))
        #expect(!recorded.contains { $0.contains("FREQ_HZ") })
        #expect(recorded.contains("set_property value ACTIVE_HIGH param:busif:rst/POLARITY"))
        let families = IPCoreDescription.defaultFamilies.map { "\($0) Production" }.joined(separator: " ")
        #expect(recorded.contains("set_property supported_families {\(families)} core_1"))
        #expect(calls(recorded, "ipx::save_core") == ["ipx::save_core core_1"])
        // The documentation files, copied into the IP's doc/ as its Readme file group.
        #expect(calls(recorded, "ipx::add_file_group") == ["ipx::add_file_group -type readme xilinx_readme core_1"])
        #expect(
            calls(recorded, "ipx::add_file") == [
                "ipx::add_file doc/digits_lut_input_thresholds.json group:xilinx_readme",
                "ipx::add_file doc/digits_lut_output_codes.json group:xilinx_readme",
            ])
        #expect(recorded.contains("set_property type text file:doc/digits_lut_output_codes.json"))
        #expect(FileManager.default.fileExists(atPath: defaultOutput + "/doc/digits_lut_output_codes.json"))
    }

    @Test func packageIPScriptTakesTheOutputDirectoryFromTclargs() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(
            script: root.appendingPathComponent(PackagingLayout.packageIPScript), argv: ["/tmp/my_repo"])
        #expect(calls(recorded, "ipx::package_project").first?.contains("-root_dir /tmp/my_repo ") == true)
    }

    @Test func xguiScriptDefinesTheGUI() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let xgui = root.appendingPathComponent(PackagingLayout(core: core).ipDirectory + "/xgui/digits_lut_v1_0.tcl")
        let recorded = try VivadoStubs.run(script: xgui, epilogue: "init_gui ipinst_1")
        #expect(
            recorded == [
                "ipgui::add_param ipinst_1 -name Component_Name",
                "ipgui::add_page ipinst_1 -name {Page 0}",
            ])
    }

    @Test func stubsCatchAMissingSourceFile() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.removeItem(at: root.appendingPathComponent(core.rtlFiles[0]))
        #expect(throws: (any Error).self) {
            try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.buildScript))
        }
    }

    @Test func stubsCatchAnUnsetVariable() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let broken = root.appendingPathComponent("broken.tcl")
        let script = try String(contentsOf: root.appendingPathComponent(PackagingLayout.buildScript), encoding: .utf8)
        try script.replacingOccurrences(of: "set top digits_lut\n", with: "").write(to: broken, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try VivadoStubs.run(script: broken) }
    }
}
