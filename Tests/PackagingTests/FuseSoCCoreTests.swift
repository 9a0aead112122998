import Foundation
import Testing
import Yams
@testable import Packaging

@Suite("FuseSoC CAPI2 core file")
struct FuseSoCCoreTests {
    private func parsed(_ core: IPCoreDescription) throws -> (text: String, yaml: [String: Any]) {
        let files = try Packager.fuseSoCFiles(for: core)
        #expect(files.map(\.path) == ["gen/\(core.name).core"])
        let content = text(files[0])
        let yaml = try #require(try Yams.load(yaml: content) as? [String: Any])
        return (content, yaml)
    }

    @Test func isCAPI2WithTheVLNVAndFilesets() throws {
        let core = sampleCore()
        let (content, yaml) = try parsed(core)
        #expect(content.hasPrefix("CAPI=2:\n"))
        #expect(yaml["name"] as? String == "example.org:lutnn:digits_lut:1.0")
        #expect(yaml["description"] as? String == core.description)
        let filesets = try #require(yaml["filesets"] as? [String: Any])
        let rtl = try #require(filesets["rtl"] as? [String: Any])
        #expect(rtl["files"] as? [String] == ["rtl/digits_lut_layer0.v", "rtl/digits_lut_layer1.v", "rtl/digits_lut.v"])
        #expect(rtl["file_type"] as? String == "verilogSource")
        let constraints = try #require(filesets["constraints"] as? [String: Any])
        #expect(constraints["files"] as? [String] == ["vivado/clock.xdc"])
        #expect(constraints["file_type"] as? String == "xdc")
        let tb = try #require(filesets["tb"] as? [String: Any])
        let tbFiles = try #require(tb["files"] as? [Any])
        #expect(tbFiles.first as? String == "tb/digits_lut_tb.v")
        #expect(tb["file_type"] as? String == "verilogSource")
        // The testbench reads its vectors by bare name: they are copied into the simulator's run directory.
        let vectors = tbFiles.dropFirst().compactMap { $0 as? [String: Any] }
        #expect(vectors.map { $0.keys.first } == ["tb/inputs.hex", "tb/outputs.hex"])
        #expect(vectors.map { ($0.values.first as? [String: Any])?["copyto"] as? String } == ["inputs.hex", "outputs.hex"])
        #expect(vectors.allSatisfy { ($0.values.first as? [String: Any])?["file_type"] as? String == "user" })
        // What the IP's user needs travels with the core.
        let docs = try #require(filesets["docs"] as? [String: Any])
        #expect(docs["files"] as? [String] == ["rtl/digits_lut_input_thresholds.json", "rtl/digits_lut_output_codes.json"])
        #expect(docs["file_type"] as? String == "user")
    }

    @Test func targetsSynthesiseForThePartAndSimulateTheTestbench() throws {
        let (_, yaml) = try parsed(sampleCore())
        let targets = try #require(yaml["targets"] as? [String: Any])
        #expect(Set(targets.keys) == ["default", "lint", "synth", "sim"])
        let synth = try #require(targets["synth"] as? [String: Any])
        #expect(synth["default_tool"] as? String == "vivado")
        #expect(synth["toplevel"] as? String == "digits_lut")
        #expect(synth["filesets"] as? [String] == ["rtl", "constraints", "vivado_synthesis"])
        let vivado = try #require((synth["tools"] as? [String: Any])?["vivado"] as? [String: Any])
        #expect(vivado["part"] as? String == "xcvu9p-flgb2104-2-i")
        // Synthesis only: the ports have no pins, so implementation and a bitstream would fail.
        #expect(vivado["pnr"] as? String == "none")
        let filesets = try #require(yaml["filesets"] as? [String: Any])
        let synthesisFiles = try #require((filesets["vivado_synthesis"] as? [String: Any])?["files"] as? [[String: Any]])
        #expect(synthesisFiles.map { $0.keys.first } == ["vivado/fusesoc_synth.tcl", "vivado/write_reports.tcl"])
        #expect((synthesisFiles[0]["vivado/fusesoc_synth.tcl"] as? [String: Any])?["file_type"] as? String == "tclSource")
        let sim = try #require(targets["sim"] as? [String: Any])
        #expect(sim["toplevel"] as? String == "digits_lut_tb")
        #expect(sim["filesets"] as? [String] == ["rtl", "tb"])
        let defaultTarget = try #require(targets["default"] as? [String: Any])
        #expect(defaultTarget["filesets"] as? [String] == ["rtl", "docs"])
    }

    /// Verilator can run the sim target: a binary, with --timing for the
    /// testbench's delays and without the warning about its `timescale.
    @Test func simTargetCarriesVerilatorOptions() throws {
        let (_, yaml) = try parsed(sampleCore())
        let sim = try #require((yaml["targets"] as? [String: Any])?["sim"] as? [String: Any])
        let verilator = try #require((sim["tools"] as? [String: Any])?["verilator"] as? [String: Any])
        #expect(verilator["mode"] as? String == "binary")
        #expect(verilator["verilator_options"] as? [String] == ["-Wno-TIMESCALEMOD", "--timing"])
    }

    /// Models of the cells the RTL instantiates go to sim and lint, never to synthesis or the default target.
    @Test func cellModelsAreForSimulationAndLintOnly() throws {
        var core = sampleCore()
        core.simulationModelFiles = ["gen/sim/lutbuild_unisim_luts.v"]
        let (_, yaml) = try parsed(core)
        let models = try #require((yaml["filesets"] as? [String: Any])?["cell_models"] as? [String: Any])
        #expect(models["files"] as? [String] == ["sim/lutbuild_unisim_luts.v"])
        #expect(models["file_type"] as? String == "verilogSource")
        let targets = try #require(yaml["targets"] as? [String: Any])
        func filesets(_ target: String) -> [String]? { (targets[target] as? [String: Any])?["filesets"] as? [String] }
        #expect(filesets("sim") == ["cell_models", "rtl", "tb"])
        #expect(filesets("lint") == ["cell_models", "rtl"])
        #expect(filesets("synth") == ["rtl", "constraints", "vivado_synthesis"])
        #expect(filesets("default") == ["rtl", "docs"])
        #expect((yaml["filesets"] as? [String: Any])?["cell_models"] != nil)
        let (_, plain) = try parsed(sampleCore())
        #expect((plain["filesets"] as? [String: Any])?["cell_models"] == nil)
    }

    @Test func withoutTestbenchThereIsNoSimTarget() throws {
        let (_, yaml) = try parsed(sampleCore(simulationFiles: []))
        let targets = try #require(yaml["targets"] as? [String: Any])
        #expect(targets["sim"] == nil)
        #expect((yaml["filesets"] as? [String: Any])?["tb"] == nil)
    }

    @Test func pathsOutsideGenAreRelativeToTheCoreFile() throws {
        let (_, yaml) = try parsed(sampleCore(rtlFiles: ["hdl/top.v"], simulationFiles: []))
        let rtl = (yaml["filesets"] as? [String: Any])?["rtl"] as? [String: Any]
        #expect(rtl?["files"] as? [String] == ["../hdl/top.v"])
    }
}
