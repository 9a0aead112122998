import Foundation
import TestSupport

/// Runs generated TCL under plain `tclsh` with Vivado's commands replaced by
/// recording stubs: syntax errors, unset variables, unknown commands and
/// missing source files all fail the run.
enum VivadoStubs {
    /// The stand-ins. Each records its call as one list in `::calls`;
    /// commands that read files check the files exist.
    static let prelude = #"""
        set ::calls {}
        proc record {args} { lappend ::calls $args }
        proc require_file {path} {
            if {![file exists $path]} { error "stub: missing file $path" }
        }
        foreach command {synth_design opt_design place_design route_design report_utilization
                         report_timing_summary write_checkpoint create_project update_compile_order
                         close_project set_property create_clock set_input_delay set_output_delay} {
            proc $command {args} "record $command {*}\$args"
        }
        proc read_verilog {args} { record read_verilog {*}$args; require_file [lindex $args end] }
        proc read_xdc {args} { record read_xdc {*}$args; require_file [lindex $args end] }
        proc add_files {args} {
            record add_files {*}$args
            foreach path [lindex $args end] { require_file $path }
        }
        proc current_fileset {} { return sources_1 }
        proc get_runs {name} { return "run:$name" }
        # A Vivado's synth_design syntax and synthesis run properties, with the
        # old retiming option (-retiming, RETIMING) or the new one (-global_retiming, GLOBAL_RETIMING).
        set ::stub_global_retiming 0
        proc help {args} {
            if {$args ne {-syntax synth_design}} { error "stub: help $args" }
            set retiming [expr {$::stub_global_retiming ? {[-global_retiming <arg>]} : {[-retiming]}}]
            return "Syntax:\nsynth_design  \[-name <arg>\] \[-part <arg>\] $retiming \[-mode <arg>\] \[-quiet\] \[-verbose\]"
        }
        proc list_property {object} {
            set retiming [expr {$::stub_global_retiming ? {STEPS.SYNTH_DESIGN.ARGS.GLOBAL_RETIMING} : {STEPS.SYNTH_DESIGN.ARGS.RETIMING}}]
            return [list STRATEGY STEPS.SYNTH_DESIGN.ARGS.DIRECTIVE $retiming STEPS.SYNTH_DESIGN.TCL.POST]
        }
        proc get_ports {name} { return "port:$name" }

        # Block design commands: cells must be created before their pins are named.
        set ::bd_cells {}
        foreach command {update_ip_catalog create_bd_design connect_bd_intf_net connect_bd_net apply_bd_automation
                         assign_bd_address validate_bd_design save_bd_design} {
            proc $command {args} "record $command {*}\$args"
        }
        proc current_project {} { return project_1 }
        proc create_bd_cell {args} {
            record create_bd_cell {*}$args
            lappend ::bd_cells [lindex $args end]
            return "cell:[lindex $args end]"
        }
        proc bd_pin {kind path} {
            set cell [lindex [split $path /] 0]
            if {$cell ni $::bd_cells} { error "stub: $kind $path names no cell created so far ($::bd_cells)" }
            return "$kind:$path"
        }
        proc get_bd_pins {path} { bd_pin pin $path }
        proc get_bd_intf_pins {path} { bd_pin intf_pin $path }
        proc get_files {name} { return "file:$name" }
        proc make_wrapper {args} {
            record make_wrapper {*}$args
            close [file tempfile path wrapper.v]
            return $path
        }

        namespace eval ipx {
            variable interfaces {}
            variable parameters {}
            proc package_project {args} { ::record ipx::package_project {*}$args }
            proc current_core {} { return core_1 }
            proc get_bus_interfaces {name -of_objects core} {
                variable interfaces
                if {$name in $interfaces} { return "busif:$name" }
                return {}
            }
            proc infer_bus_interface {port vlnv core} {
                variable interfaces
                ::record ipx::infer_bus_interface $port $vlnv $core
                lappend interfaces $port
            }
            proc get_bus_parameters {name -of_objects interface} {
                variable parameters
                if {"$interface/$name" in $parameters} { return "param:$interface/$name" }
                return {}
            }
            proc add_bus_parameter {name interface} {
                variable parameters
                ::record ipx::add_bus_parameter $name $interface
                lappend parameters "$interface/$name"
            }
            proc add_file_group {args} { ::record ipx::add_file_group {*}$args; return "group:[lindex $args end-1]" }
            proc add_file {path group} { ::record ipx::add_file $path $group; return "file:$path" }
            foreach command {create_xgui_files update_checksums check_integrity save_core} {
                proc $command {args} "::record ipx::$command {*}\$args"
            }
        }
        namespace eval ipgui {
            proc add_param {args} { ::record ipgui::add_param {*}$args }
            proc add_page {args} { ::record ipgui::add_page {*}$args; return page_0 }
        }
        """#

    /// Sources `script` after the stubs and `prologue` (with `argv` as its
    /// -tclargs), then runs `epilogue`, from `directory` (`/` by default, so
    /// that nothing depends on the working directory). Returns the recorded
    /// calls, one TCL list per element.
    static func run(
        script: URL, argv: [String] = [], prologue: String = "", epilogue: String = "",
        directory: URL = URL(fileURLWithPath: "/")
    ) throws -> [String] {
        let driver = FileManager.default.temporaryDirectory.appendingPathComponent("stub-driver-\(UUID().uuidString).tcl")
        defer { try? FileManager.default.removeItem(at: driver) }
        let arguments = argv.map { "{\($0)}" }.joined(separator: " ")
        try """
        \(prelude)
        set argv [list \(arguments)]
        set argc [llength $argv]
        \(prologue)
        source {\(script.path)}
        \(epilogue)
        foreach call $::calls { puts $call }
        """.write(to: driver, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.run(tool: "tclsh", [driver.path], in: directory)
        guard result.status == 0 else {
            throw TestSupportError("tclsh failed on \(script.lastPathComponent): \(result.stderr + result.stdout)")
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
