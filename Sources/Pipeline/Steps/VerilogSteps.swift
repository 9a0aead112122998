import BuildGraph
import Foundation
import NeuraLUT
import RTL
import Synthesis
import ProjectFile

/// The Verilog: one cached step per partition module (its table only), and
/// one step for the layer modules and the top (wiring and `[rtl]` options).
enum VerilogSteps {
    static let rtlDirectory = OutputLayout.rtl

    static func partitionID(_ partition: PartitionID) -> String { "verilog/\(TrainStep.memberName(partition))" }
    static let networkID = "verilog/top"

    /// `verilog/layerL/pK`: one partition's module from its mapped netlist
    /// (`[rtl] tables = "mapped"`, the default) or its table (`"case-rom"`).
    enum Partition: PipelineStep {
        static let kind = "verilog-partition"
        static let version = 4

        struct Parameters: Codable, Sendable {
            var module: String
            var tables: TableLogic
            var primitives: LUTPrimitives
        }

        static let netlist = StepInputName("netlist", decode: SynthesizeStep.decode)
        static let table = StepInputName("table", decode: StepCodecs.decodeTable)

        static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
            let verilog: String
            switch parameters.tables {
            case .mapped:
                let netlist = try context.read(Self.netlist)
                verilog = NetlistVerilog.partitionModule(name: parameters.module, netlist: netlist, primitives: parameters.primitives)
            case .caseROM:
                let table = try context.read(Self.table)
                verilog = VerilogEmitter.partitionModule(name: parameters.module, table: table)
            }
            return ["verilog": Data(verilog.utf8)]
        }
    }

    /// `verilog/top`: the layer modules and the top module.
    enum Network: PipelineStep {
        static let kind = "verilog-network"
        /// 4: the input encoder compares only the features layer 0 reads.
        static let version = 4

        static func run(_ options: RTLOptions, _ context: StepContext) async throws -> StepOutputs {
            let network = try context.read(CommonInputs.network)
            let encoder = options.inputEncoder ? try context.read(CommonInputs.encoder) : nil
            let modules = VerilogEmitter.networkModules(network: network, options: options, encoder: encoder)
            var outputs: StepOutputs = ["top": Data(modules.top.contents.utf8)]
            if let file = modules.encoder { outputs["encoder"] = Data(file.contents.utf8) }
            if let file = modules.classScores { outputs[classScoresOutput] = Data(file.contents.utf8) }
            for (layer, file) in modules.layers.enumerated() { outputs["layer\(layer)"] = Data(file.contents.utf8) }
            return outputs
        }
    }

    static func partition(_ config: ProjectConfig, _ partition: PartitionID) throws -> Step {
        let name = VerilogEmitter.partitionModuleName(partition, topName: config.project.top)
        let rtl = config.rtl
        var inputs = StepInputs()
        if rtl.tables == .mapped {
            inputs.bind(Partition.netlist, to: SynthesizeStep.netlist(partition))
        } else {
            inputs.bind(
                Partition.table,
                to: PipelineGraph.fillsDontCares(config) ? SynthesizeStep.filledTable(partition) : OutputRefs.table(partition))
        }
        return try Partition.step(
            id: partitionID(partition),
            Partition.Parameters(
                module: name, tables: rtl.tables,
                primitives: rtl.tables == .mapped ? rtl.primitives : .portable),
            inputs: inputs, outputs: ["verilog"],
            publish: ["verilog": "\(rtlDirectory)/\(name).v"])
    }

    static func rtlOptions(_ config: ProjectConfig) -> RTLOptions {
        let registers: RTL.RegisterPlacement
        switch config.rtl.registers {
        case .everyLayer: registers = .everyLayer
        case .none: registers = .none
        case .every(let k): registers = .everyKLayers(k)
        }
        return RTLOptions(
            topName: config.project.top, registers: registers, argmax: config.rtl.argmax,
            interface: config.rtl.interface == .axis ? .axis(userBits: config.rtl.tuserBits) : .raw,
            inputEncoder: config.rtl.inputEncoder)
    }

    /// The output of `verilog/top` holding the class-score compressor trees (`model.partitions_per_class` above 1).
    static let classScoresOutput = "class_scores"

    /// Whether the design has the additive output head's module.
    static func hasClassScores(_ config: ProjectConfig) -> Bool { config.model.partitionsPerClass > 1 }

    /// Output names of the network-level modules: `layer0` …, the encoder, the class scores and `top`.
    static func networkOutputs(_ config: ProjectConfig) -> [String] {
        config.model.layers.indices.map { "layer\($0)" } + (config.rtl.inputEncoder ? ["encoder"] : [])
            + (hasClassScores(config) ? [classScoresOutput] : []) + ["top"]
    }

    static func network(_ config: ProjectConfig) throws -> Step {
        let options = rtlOptions(config)
        var publish: [String: String] = ["top": "\(rtlDirectory)/\(options.topName).v"]
        for layer in config.model.layers.indices {
            publish["layer\(layer)"] = "\(rtlDirectory)/\(VerilogEmitter.layerModuleName(layer, topName: options.topName)).v"
        }
        if config.rtl.inputEncoder {
            publish["encoder"] = "\(rtlDirectory)/\(InputEncoderRTL.moduleName(topName: options.topName)).v"
        }
        if hasClassScores(config) {
            publish[classScoresOutput] = "\(rtlDirectory)/\(ClassScoresRTL.moduleName(topName: options.topName)).v"
        }
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.network)
        if let encoder = ThresholdsStep.encoder(config) { inputs.bind(CommonInputs.encoder, to: encoder) }
        return try Network.step(
            id: networkID, options, inputs: inputs,
            outputs: networkOutputs(config), publish: publish)
    }

    /// Every Verilog output in the order a simulator reads them (partitions, layers, top).
    static func allOutputs(_ config: ProjectConfig) -> [(name: String, source: StepSource<Data>)] {
        let top = config.project.top
        var outputs: [(name: String, source: StepSource<Data>)] = PipelineGraph.partitionIDs(config).map { id in
            (VerilogEmitter.partitionModuleName(id, topName: top) + ".v", .output(step: partitionID(id), name: "verilog"))
        }
        for layer in config.model.layers.indices {
            outputs.append((VerilogEmitter.layerModuleName(layer, topName: top) + ".v", .output(step: networkID, name: "layer\(layer)")))
        }
        if config.rtl.inputEncoder {
            outputs.append((InputEncoderRTL.moduleName(topName: top) + ".v", .output(step: networkID, name: "encoder")))
        }
        if hasClassScores(config) {
            outputs.append((ClassScoresRTL.moduleName(topName: top) + ".v", .output(step: networkID, name: classScoresOutput)))
        }
        outputs.append((top + ".v", .output(step: networkID, name: "top")))
        return outputs
    }

    /// The Verilog outputs as inputs `rtl/<file>` of a step (`CommonInputs.rtl`), and the file names in simulator order.
    static func inputs(_ config: ProjectConfig) -> (inputs: StepInputs, files: [String]) {
        let rtl = allOutputs(config)
        var inputs = StepInputs()
        for (name, source) in rtl { inputs.bind(CommonInputs.rtl[name], to: source) }
        return (inputs, rtl.map(\.name))
    }
}
