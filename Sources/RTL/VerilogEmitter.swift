import Foundation
import HDLNames
import NeuraLUT

/// Emits deterministic Verilog-2001 for a `LUTNetwork`: one module per
/// partition, one per layer and a top (docs/method.md, "Hardware conventions"). Each piece has its
/// own function so the build engine can cache them separately.
public enum VerilogEmitter {
    /// The whole design. Partition modules are emitted in parallel; the
    /// output is byte-identical however the work is scheduled.
    /// `partitionModule(id, name)` gives a partition's Verilog (by default its
    /// case ROM; the Synthesis module passes mapped netlists), and
    /// `simulationModels` are cell models the design needs in simulation only.
    /// `encoder`: raw feature values in, through comparators (`[rtl] input_encoder`).
    public static func design(
        network: LUTNetwork, options: RTLOptions = RTLOptions(), simulationModels: [GeneratedFile] = [],
        encoder: InputEncoderRTL? = nil,
        partitionModule: (@Sendable (PartitionID, String) -> String)? = nil
    ) throws -> RTLDesign {
        try network.validate()
        guard isIdentifier(options.topName) else {
            throw RTLError(
                "top module name '\(options.topName)' is not a Verilog identifier (letters, digits, _; not starting with a"
                    + " digit; not a keyword)"
            )
        }
        if case .axis(let userBits) = options.interface, !(0...AXISLayout.maximumUserBits).contains(userBits) {
            throw RTLError("tuser width must be 0...\(AXISLayout.maximumUserBits) bits, got \(userBits)")
        }
        if case .everyKLayers(let k) = options.registers, k < 1 {
            throw RTLError("registers every k layers needs k >= 1, got \(k)")
        }
        let ids = network.spec.layers.indices.flatMap { l in
            (0..<network.spec.layers[l].partitions).map { PartitionID(layer: l, index: $0) }
        }
        let topName = options.topName
        let partitionFiles = Parallel.map(count: ids.count) { i in
            let name = partitionModuleName(ids[i], topName: topName)
            let contents =
                partitionModule?(ids[i], name) ?? Self.partitionModule(name: name, table: network.tables[ids[i].layer][ids[i].index])
            return GeneratedFile(path: "\(name).v", contents: contents)
        }
        guard options.inputEncoder == (encoder != nil) else {
            throw RTLError(
                options.inputEncoder
                    ? "the options ask for an input encoder but none was given"
                    : "an input encoder was given but the options do not ask for one")
        }
        if let encoder {
            guard encoder.features.count == network.spec.inputFeatures, encoder.codeBits == network.spec.inputBits else {
                throw RTLError(
                    "the input encoder has \(encoder.features.count) features of \(encoder.codeBits)-bit codes; the network"
                        + " reads \(network.spec.inputFeatures) of \(network.spec.inputBits) bits"
                )
            }
        }
        let modules = networkModules(network: network, options: options, encoder: encoder)
        let spec = network.spec
        let outputs = spec.scoreCount
        let fieldBits = encoder?.format.bits ?? spec.inputBits
        return RTLDesign(
            files: partitionFiles + modules.layers + [modules.encoder, modules.classScores].compactMap { $0 } + [modules.top],
            simulationModels: simulationModels,
            topName: options.topName,
            inputWidth: spec.inputFeatures * fieldBits,
            outputWidth: outputs * spec.scoreBits,
            classWidth: options.argmax ? indexBits(outputs) : 0,
            latency: options.registers.latency(layers: spec.layers.count),
            ports: ports(network: network, options: options, encoder: encoder),
            axis: options.axisLayout(network: network, encoder: encoder),
            encoder: encoder,
            inputFieldBits: fieldBits)
    }

    /// The modules above the partitions, each built here only, for the whole
    /// design and for the build's `verilog/top` step alike.
    public struct NetworkModules: Sendable {
        /// One per layer, in layer order.
        public var layers: [GeneratedFile]
        /// The input encoder (`[rtl] input_encoder`).
        public var encoder: GeneratedFile?
        /// The head summing each class's partitions (more than one partition per class).
        public var classScores: GeneratedFile?
        public var top: GeneratedFile
    }

    public static func networkModules(network: LUTNetwork, options: RTLOptions, encoder: InputEncoderRTL?) -> NetworkModules {
        let topName = options.topName
        return NetworkModules(
            layers: network.spec.layers.indices.map { layerModule(network: network, layer: $0, options: options) },
            encoder: encoder?.module(name: InputEncoderRTL.moduleName(topName: topName), network: network),
            classScores: network.spec.partitionsPerClass > 1
                ? ClassScoresRTL.module(name: ClassScoresRTL.moduleName(topName: topName), spec: network.spec) : nil,
            top: topModule(network: network, options: options, encoder: encoder))
    }

    /// Whether `name` is a plain Verilog identifier usable as a module name.
    public static func isIdentifier(_ name: String) -> Bool { Identifiers.isVerilogIdentifier(name) }
}
