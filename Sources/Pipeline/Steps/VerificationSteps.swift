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

    /// `testbench`: the self-checking bench and its vectors.
    enum TestbenchStep: PipelineStep {
        static let kind = "testbench"
        static let version = 3

        static func run(_ options: RTLOptions, _ context: StepContext) async throws -> StepOutputs {
            let network = try context.read(CommonInputs.network)
            let prepared = try context.read(CommonInputs.data)
            let test = prepared.test
            let encoder = options.inputEncoder ? try context.read(CommonInputs.encoder) : nil
            // With the input encoder the bench feeds raw values (the test rows in the data's own units).
            let vectors =
                try encoder.map {
                    try TestVectors(
                        network: network, encoder: $0, raw: prepared.normalization.rawFeatures(of: test), count: test.rows,
                        labels: test.labels.map(Int.init))
                } ?? TestVectors(network: network, dataset: test)
            let design = try VerilogEmitter.design(network: network, options: options, encoder: encoder)
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
            try await run(parameters, context, simulate: simulate)
        }

        /// The step's work with `simulate` standing for the simulator run (key tests pass a recording fake).
        static func run(_ parameters: Parameters, _ context: StepContext, simulate: Simulate) async throws -> StepOutputs {
            var rtl: [(name: String, contents: Data)] = []
            if parameters.xilinxCellModels {
                let models = NetlistVerilog.xilinxCellModels
                rtl.append((models.path, Data(models.contents.utf8)))
            }
            for name in parameters.rtlFiles { rtl.append((name, try context.read(CommonInputs.rtl[name]))) }
            let testbench = try testbenchFiles.map { ($0, try context.read(Self.testbench[$0])) }
            guard let simulator = parameters.simulator else {
                throw PipelineError(
                    "no RTL simulator found: install Verilator or Icarus Verilog (iverilog + vvp) and make sure it is on PATH")
            }
            context.progress("simulating \(rtl.count) modules with \(simulator.rawValue)")
            let report = try simulate(SimulationJob(simulator: simulator, rtl: rtl, testbench: testbench, context: context))
            guard report.passed else {
                throw PipelineError("RTL simulation disagrees with software LUT inference: \(report.summary)")
            }
            return [
                "report": try StepCodecs.json(
                    VerifyReport(
                        simulator: report.simulator.rawValue, samples: report.samples, mismatches: report.mismatches,
                        cycles: report.cycles, accuracy: report.accuracy))
            ]
        }

        /// The real simulation: the files written to the step's scratch folder, then `Verifier`.
        @Sendable
        static func simulate(_ job: SimulationJob) throws -> VerificationReport {
            let directory = URL(fileURLWithPath: try job.context.scratchDirectory())
            let rtlDirectory = directory.appendingPathComponent("rtl"), tbDirectory = directory.appendingPathComponent("tb")
            for folder in [rtlDirectory, tbDirectory] {
                try? FileManager.default.removeItem(at: folder)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            var rtlFiles: [URL] = []
            for (name, contents) in job.rtl {
                let url = rtlDirectory.appendingPathComponent(name)
                try contents.write(to: url)
                rtlFiles.append(url)
            }
            for (name, contents) in job.testbench { try contents.write(to: tbDirectory.appendingPathComponent(name)) }
            let context = job.context
            return try Verifier(simulator: job.simulator, isCancelled: { context.isCancelled })
                .run(rtlFiles: rtlFiles, testbenchDirectory: tbDirectory)
        }
    }

    /// What a verify step hands its simulator: the RTL (cell models first, then simulator order) and the testbench files.
    struct SimulationJob: Sendable {
        var simulator: Simulator
        var rtl: [(name: String, contents: Data)]
        var testbench: [(name: String, contents: Data)]
        var context: StepContext
    }

    typealias Simulate = @Sendable (SimulationJob) throws -> VerificationReport

    static func testbench(_ config: ProjectConfig) throws -> Step {
        var publish: [String: String] = [:]
        for file in testbenchFiles { publish[file] = "\(testbenchDirectory)/\(file)" }
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.network)
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        if let encoder = ThresholdsStep.encoder(config) { inputs.bind(CommonInputs.encoder, to: encoder) }
        return try TestbenchStep.step(
            id: testbenchID, VerilogSteps.rtlOptions(config), inputs: inputs,
            outputs: testbenchFiles, publish: publish)
    }

    static func verify(_ config: ProjectConfig, simulator: Simulator?, simulate: @escaping Simulate = Verify.simulate) throws -> Step {
        var (inputs, files) = VerilogSteps.inputs(config)
        for file in testbenchFiles { inputs.bind(Verify.testbench[file], to: .output(step: testbenchID, name: file)) }
        let parameters = Verify.Parameters(
            rtlFiles: files, xilinxCellModels: config.rtl.tables == .mapped && config.rtl.primitives == .xilinx,
            simulator: simulator ?? Simulator.available(forPartitions: PipelineGraph.partitionIDs(config).count))
        return try Verify.step(
            id: verifyID, parameters, inputs: inputs, outputs: ["report"],
            publish: ["report": OutputLayout.Report.verify], usesAllCores: true
        ) { parameters, context in
            try await Verify.run(parameters, context, simulate: simulate)
        }
    }
}

/// `gen/reports/verify.json`, written by `verify`; the build's summary, the
/// `verify` command and the report page read it as this type. Timings vary
/// from run to run, so it keeps only what the design determines of the
/// simulation's `VerificationReport`.
public struct VerifyReport: Codable, Equatable, Sendable {
    /// The simulator that ran.
    public var simulator: String
    public var samples: Int
    public var mismatches: Int
    public var cycles: Int
    /// RTL outputs against the labels (nil without labels).
    public var accuracy: Double?

    /// The report as `lutbuild verify --json` prints it: compact, sorted keys, as stored.
    public func jsonLine() throws -> String { String(decoding: try StepCodecs.json(self), as: UTF8.self) }

    public init(simulator: String, samples: Int, mismatches: Int, cycles: Int, accuracy: Double?) {
        self.simulator = simulator
        self.samples = samples
        self.mismatches = mismatches
        self.cycles = cycles
        self.accuracy = accuracy
    }
}
