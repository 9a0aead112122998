import BuildGraph
import Foundation
import HDLNames
import NeuraLUT
import RTL
import Synthesis
import ProjectFile

/// `estimate`: the hardware added up from the mapped partitions by lutbuild
/// itself (LUTs by size, flip-flops, LUT levels per layer and between
/// registers), in seconds and incrementally: only remapped partitions change
/// its inputs (docs/hardware.md).
enum EstimateStep: PipelineStep {
    static let id = "estimate"
    static let kind = "estimate-mapped"
    static let version = 2

    struct Parameters: Codable, Sendable {
        var registers: RTL.RegisterPlacement
        /// Partition members (`layerL/pK`) in layer order; input `netlist/<member>` each.
        var partitions: [String]
        var layerSizes: [Int]
        /// With don't-cares: inputs `exact/<member>` too (the tables mapped exactly), for the LUT saving.
        var dontCares: Bool
        /// With `[rtl] input_encoder`: the encoder module, counted by yosys from input `encoder`. nil leaves the key as it was.
        var encoderModule: String?
        /// yosys' architecture for `[fpga] part`, with the encoder only.
        var encoderFamily: String?
        /// With k partitions per class: the class scores' module, counted by yosys from input `class_scores`. nil leaves the key as it was.
        var classScoresModule: String?
        /// yosys' architecture for `[fpga] part`, with the class scores only.
        var classScoresFamily: String?
    }

    /// Counts a module's LUTs, the encoder's or the class scores' (yosys; key tests substitute a recording fake).
    typealias CountModule =
        @Sendable (_ verilog: Data, _ module: String, _ family: String, _ context: StepContext) throws
        -> MappedEstimate.ModuleCost

    static func make(_ config: ProjectConfig, countModule: @escaping CountModule = moduleCost) throws -> Step {
        let ids = PipelineGraph.partitionIDs(config)
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.network)
        let dontCares = PipelineGraph.fillsDontCares(config)
        for id in ids {
            inputs.bind(CommonInputs.netlists[TrainStep.memberName(id)], to: SynthesizeStep.netlist(id))
            if dontCares { inputs.bind(exactNetlists[TrainStep.memberName(id)], to: SynthesizeStep.exactNetlist(id)) }
        }
        let encoderModule = config.rtl.inputEncoder ? InputEncoderRTL.moduleName(topName: config.project.top) : nil
        if encoderModule != nil { inputs.bind(encoderVerilog, to: .output(step: VerilogSteps.networkID, name: "encoder")) }
        let classScoresModule = VerilogSteps.hasClassScores(config) ? ClassScoresRTL.moduleName(topName: config.project.top) : nil
        if classScoresModule != nil {
            inputs.bind(classScoresVerilog, to: .output(step: VerilogSteps.networkID, name: VerilogSteps.classScoresOutput))
        }
        let parameters = Parameters(
            registers: VerilogSteps.rtlOptions(config).registers, partitions: ids.map(TrainStep.memberName),
            layerSizes: config.model.layers.map(\.partitions), dontCares: dontCares,
            encoderModule: encoderModule,
            encoderFamily: encoderModule.map { _ in DeviceFamilies.yosysFamily(forPart: config.fpga.part) },
            classScoresModule: classScoresModule,
            classScoresFamily: classScoresModule.map { _ in DeviceFamilies.yosysFamily(forPart: config.fpga.part) })
        return try step(
            id: id, parameters, inputs: inputs, outputs: ["json", "text"],
            publish: ["json": OutputLayout.Report.estimateJSON, "text": OutputLayout.Report.estimateText]
        ) { parameters, context in
            try await run(parameters, context, countModule: countModule)
        }
    }

    /// With `[rtl] input_encoder`: the encoder module's Verilog.
    static let encoderVerilog = StepInputName("encoder")
    /// With k partitions per class: the class scores' module's Verilog.
    static let classScoresVerilog = StepInputName("class_scores")
    /// With don't-cares: each partition's table mapped exactly.
    static let exactNetlists = StepInputFamily("exact", decode: SynthesizeStep.decode)

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        try await run(parameters, context, countModule: moduleCost)
    }

    static func run(_ parameters: Parameters, _ context: StepContext, countModule: CountModule) async throws -> StepOutputs {
        let network = try context.read(CommonInputs.network)
        var statistics: [[NetlistStatistics]] = [], next = 0
        for size in parameters.layerSizes {
            statistics.append(
                try parameters.partitions[next..<(next + size)].map { member in
                    try context.read(CommonInputs.netlists[member]).statistics
                })
            next += size
        }
        var estimate = MappedEstimate(
            spec: network.spec, connectivity: network.connectivity, statistics: statistics,
            registers: parameters.registers)
        if parameters.dontCares {
            estimate.exactLUTs = try parameters.partitions.reduce(0) { sum, member in
                sum + (try context.read(exactNetlists[member]).statistics.luts)
            }
        }
        if let module = parameters.encoderModule {
            estimate.encoder = try countModule(try context.read(encoderVerilog), module, parameters.encoderFamily ?? "xcup", context)
        }
        if let module = parameters.classScoresModule {
            estimate.include(
                classScores: try countModule(
                    try context.read(classScoresVerilog), module, parameters.classScoresFamily ?? "xcup", context))
        }
        return ["json": try estimate.json(), "text": Data(estimate.report.utf8)]
    }

    /// yosys on one module alone, the input encoder or the class scores' adders (seconds: no truth tables).
    @Sendable
    static func moduleCost(_ verilog: Data, module: String, family: String, _ context: StepContext) throws -> MappedEstimate.ModuleCost {
        let directory = URL(fileURLWithPath: try context.scratchDirectory())
        let file = directory.appendingPathComponent(module + ".v")
        try verilog.write(to: file)
        context.progress("yosys synth_xilinx on \(module)")
        var estimator = Estimator(family: family)
        estimator.isCancelled = { context.isCancelled }
        let result = try estimator.estimate(verilogFiles: [file], top: module, workDirectory: directory)
        return MappedEstimate.ModuleCost(
            luts: result.luts, lutsBySize: result.lutsBySize, carryChains: result.carryChains,
            logicDepth: result.logicDepth, counter: "yosys synth_xilinx -family \(result.family)")
    }
}

/// `estimate/yosys` (`lutbuild estimate --yosys` only): yosys' Xilinx
/// synthesis of the whole emitted RTL, to calibrate lutbuild's own count
/// against an independent tool. Minutes on large designs, so never part of
/// a default build.
enum YosysEstimateStep: PipelineStep {
    static let id = "estimate/yosys"
    static let kind = "estimate"
    static let version = 2

    struct Parameters: Codable, Sendable {
        /// yosys' architecture for `[fpga] part` (`DeviceFamilies.yosysFamily`).
        var family: String
        var top: String
        /// The RTL inputs (`rtl/<file>`) in the order yosys reads them.
        var rtlFiles: [String]
    }

    static func make(_ config: ProjectConfig) throws -> Step {
        let (inputs, files) = VerilogSteps.inputs(config)
        return try step(
            id: id,
            Parameters(
                family: DeviceFamilies.yosysFamily(forPart: config.fpga.part), top: config.project.top,
                rtlFiles: files),
            inputs: inputs, outputs: ["json", "text"],
            publish: ["json": OutputLayout.Report.yosysEstimateJSON, "text": OutputLayout.Report.yosysEstimateText],
            usesAllCores: true)
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let directory = URL(fileURLWithPath: try context.scratchDirectory())
        var files: [URL] = []
        for name in parameters.rtlFiles {
            let url = directory.appendingPathComponent(name)
            try context.read(CommonInputs.rtl[name]).write(to: url)
            files.append(url)
        }
        context.progress("yosys synth_xilinx on \(files.count) modules")
        var estimator = Estimator(family: parameters.family)
        estimator.isCancelled = { context.isCancelled }
        // The JSON leaves the run time out, and the text its "(N s)" line: the stored reports are deterministic.
        let estimate = try estimator.estimate(verilogFiles: files, top: parameters.top, workDirectory: directory)
        let text = estimate.report.split(separator: "\n").filter { !$0.hasPrefix("  (") }.joined(separator: "\n") + "\n"
        return ["json": try estimate.json(), "text": Data(text.utf8)]
    }
}
