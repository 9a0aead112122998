import BuildGraph
import Foundation
import NeuraLUT
import RTL
import Synthesis
import ProjectFile

/// `testbench` (self-checking bench and vectors from the test set, by
/// software LUT inference) and `verify` (RTL simulation, zero mismatches).
enum VerificationSteps {
    static let testbenchID = "testbench"
    static let verifyID = "verify"
    /// Where the testbench and its vectors are published (the FuseSoC core lists them there).
    static let testbenchDirectory = OutputLayout.testbench
    static let testbenchFiles = ["\(Testbench.moduleName).v"] + Testbench.vectorFiles

    enum Bench: PipelineStep {
        static let kind = "testbench"
        static let version = 3

        static func run(_ options: RTLOptions, _ context: StepContext) async throws -> StepOutputs {
            let network = try context.read(CommonInputs.network)
            let test = try context.read(CommonInputs.data).test
            let vectors = try TestVectors(network: network, dataset: test)
            let design = try VerilogEmitter.design(network: network, options: options)
            var outputs: StepOutputs = [:]
            for file in Testbench.files(design: design, network: network, vectors: vectors) {
                outputs[file.path] = Data(file.contents.utf8)
            }
            return outputs
        }
    }

    /// `verify`: simulates the RTL against the testbench's expected outputs.
    /// The simulator is in the key: `--simulator`, or, when none is asked for,
    /// the one the documented rule picks among the installed ones
    /// (`Simulator.available(forPartitions:)`: by the network's size), so asking for the one the
    /// rule picks is the same step; the report records which one ran.
    enum Verify: PipelineStep {
        static let kind = "verify"
        static let version = 4

        struct Parameters: Codable, Sendable {
            /// The RTL inputs (`rtl/<file>`) in the order the simulator reads them.
            var rtlFiles: [String]
            /// The design instantiates UNISIM LUTs: simulate with lutbuild's models of them.
            var xilinxCellModels: Bool
            /// `--simulator`, or the automatic choice; nil: none is installed.
            var simulator: Simulator?
        }

        /// The testbench files, by name.
        static let testbench = StepInputFamily("tb")

        static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
            let directory = URL(fileURLWithPath: try context.scratchDirectory())
            let rtlDirectory = directory.appendingPathComponent("rtl"), tbDirectory = directory.appendingPathComponent("tb")
            for folder in [rtlDirectory, tbDirectory] {
                try? FileManager.default.removeItem(at: folder)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            var rtlFiles: [URL] = []
            if parameters.xilinxCellModels {
                let models = NetlistVerilog.xilinxCellModels
                let url = rtlDirectory.appendingPathComponent(models.path)
                try Data(models.contents.utf8).write(to: url)
                rtlFiles.append(url)
            }
            for name in parameters.rtlFiles {
                let url = rtlDirectory.appendingPathComponent(name)
                try context.read(CommonInputs.rtl[name]).write(to: url)
                rtlFiles.append(url)
            }
            for file in testbenchFiles {
                try context.read(testbench[file]).write(to: tbDirectory.appendingPathComponent(file))
            }
            guard let simulator = parameters.simulator else {
                throw PipelineError("no RTL simulator found: install Verilator or Icarus Verilog (iverilog + vvp) and make sure it is on PATH")
            }
            context.progress("simulating \(rtlFiles.count) modules with \(simulator.rawValue)")
            let report = try Verifier(simulator: simulator, isCancelled: { context.isCancelled })
                .run(rtlFiles: rtlFiles, testbenchDirectory: tbDirectory)
            guard report.passed else {
                throw PipelineError("RTL simulation disagrees with software LUT inference: \(report.summary)")
            }
            // Timings vary from run to run; the stored report keeps only what the design determines.
            struct Stored: Encodable {
                var simulator: String
                var samples: Int
                var mismatches: Int
                var cycles: Int
                var accuracy: Double?
            }
            return ["report": try StepCodecs.json(Stored(
                simulator: report.simulator.rawValue, samples: report.samples, mismatches: report.mismatches,
                cycles: report.cycles, accuracy: report.accuracy))]
        }
    }

    static func testbench(_ config: ProjectConfig) throws -> Step {
        var publish: [String: String] = [:]
        for file in testbenchFiles { publish[file] = "\(testbenchDirectory)/\(file)" }
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.network)
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        return try Bench.step(id: testbenchID, VerilogSteps.rtlOptions(config), inputs: inputs,
                              outputs: testbenchFiles, publish: publish)
    }

    static func verify(_ config: ProjectConfig, simulator: Simulator?) throws -> Step {
        var (inputs, files) = VerilogSteps.inputs(config)
        for file in testbenchFiles { inputs.bind(Verify.testbench[file], to: .output(step: testbenchID, name: file)) }
        let parameters = Verify.Parameters(
            rtlFiles: files, xilinxCellModels: config.rtl.tables == .mapped && config.rtl.primitives == .xilinx,
            simulator: simulator ?? Simulator.available(forPartitions: PipelineGraph.partitionIDs(config).count))
        return try Verify.step(id: verifyID, parameters, inputs: inputs, outputs: ["report"],
                               publish: ["report": OutputLayout.Report.verify], usesAllCores: true)
    }
}
