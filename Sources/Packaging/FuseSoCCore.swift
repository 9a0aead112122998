/// `gen/<name>.core`: a FuseSoC CAPI2 core file, so FuseSoC/Edalize users can
/// pull the generated design into any flow. Paths are relative to the file.
enum FuseSoCCore {
    /// Verilator options for the `sim` target: `--timing` runs the testbench's
    /// delays, `-Wno-TIMESCALEMOD` accepts a timescale in the testbench only.
    static let verilatorSimulationOptions = ["-Wno-TIMESCALEMOD", "--timing"]

    static func text(for core: IPCoreDescription) -> String {
        let layout = PackagingLayout(core: core)
        let coreDirectory = String(layout.fuseSoCCore.split(separator: "/").dropLast().joined(separator: "/"))
        func path(_ file: String) -> String { relativePath(to: file, from: coreDirectory) }
        func list(_ paths: [String]) -> String {
            paths.map { "      - \(path($0))" }.joined(separator: "\n")
        }
        func fileType(_ paths: [String]) -> String {
            paths.allSatisfy { $0.hasSuffix(".sv") } ? "systemVerilogSource" : "verilogSource"
        }
        var filesets = [
            """
              rtl:
                files:
            \(list(core.rtlFiles))
                file_type: \(fileType(core.rtlFiles))
            """,
            """
              constraints:
                files:
            \(list([PackagingLayout.clockConstraints]))
                file_type: xdc
            """,
            // Sourced while FuseSoC's Vivado project is created: synthesis as build.tcl runs it, with its reports.
            """
              vivado_synthesis:
                files:
                  - \(path(PackagingLayout.fuseSoCSynthesisScript)): {file_type: tclSource}
                  - \(path(PackagingLayout.reportsScript)): {file_type: user}
            """,
        ]
        if !core.documentationFiles.isEmpty {
            filesets.append(
                """
                  docs:
                    files:
                \(list(core.documentationFiles))
                    file_type: user
                """)
        }
        if !core.simulationFiles.isEmpty {
            // The testbench reads its vectors by bare name from the simulator's run directory.
            let vectors = core.simulationDataFiles.map { "      - \(path($0)): {file_type: user, copyto: \(fileName($0))}" }
            filesets.append(
                """
                  tb:
                    files:
                \((core.simulationFiles.map { "      - \(path($0))" } + vectors).joined(separator: "\n"))
                    file_type: \(fileType(core.simulationFiles))
                """)
        }
        if !core.simulationModelFiles.isEmpty {
            // Models of the vendor cells the RTL instantiates (LUT6 …), for the simulator and the linter only.
            filesets.append(
                """
                  cell_models:
                    files:
                \(list(core.simulationModelFiles))
                    file_type: \(fileType(core.simulationModelFiles))
                """)
        }
        let withDocs = core.documentationFiles.isEmpty ? "rtl" : "rtl, docs"
        let withModels = core.simulationModelFiles.isEmpty ? "rtl" : "cell_models, rtl"
        var targets = [
            """
              default:
                filesets: [\(withDocs)]
                toplevel: \(core.topModule)
            """,
            """
              lint:
                default_tool: verilator
                filesets: [\(withModels)]
                toplevel: \(core.topModule)
                tools:
                  verilator:
                    mode: lint-only
            """,
            // Synthesis only (the ports have no pins or I/O standards, so no bitstream):
            // out of context, reports in the work root's reports/ as build.tcl writes them.
            // `synth` is spelled out: edalize's Vivado backend reads it whenever `pnr` is none.
            """
              synth:
                default_tool: vivado
                filesets: [rtl, constraints, vivado_synthesis]
                toplevel: \(core.topModule)
                tools:
                  vivado:
                    part: \(core.part)
                    synth: vivado
                    pnr: none
            """,
        ]
        if let simulationTop = core.simulationTop {
            // Both simulators run the same testbench: Icarus as it is, Verilator as a
            // binary with --timing (the testbench's clock is a `#5` delay) and without
            // the warning about the testbench's `timescale that the RTL files lack.
            targets.append(
                """
                  sim:
                    default_tool: icarus
                    filesets: [\(withModels), tb]
                    toplevel: \(simulationTop)
                    tools:
                      verilator:
                        mode: binary
                        verilator_options: [\(verilatorSimulationOptions.joined(separator: ", "))]
                """)
        }
        return """
            CAPI=2:
            # Generated by lutbuild.
            name: \(core.vlnv)
            description: \(QuotedText.yaml(core.description))

            filesets:
            \(filesets.joined(separator: "\n"))

            targets:
            \(targets.joined(separator: "\n"))

            """
    }
}
