import BuildGraph
import Foundation
import NeuraLUT
import Synthesis
import ProjectFile

/// `synthesize/layerL/pK`: one partition's table minimised and mapped to a
/// LUT6 netlist by ABC, checked bit-exact against the table (on its care set
/// when don't-cares are on). Keyed by the table's digest, the care set's
/// digest and the mapper's settings only, so an edit of one layer maps only
/// that layer's partitions (docs/hardware.md).
enum SynthesizeStep: PipelineStep {
    static let kind = "synthesize"
    static let version = 1

    struct Parameters: Codable, Sendable {
        var mapper: MapperSettings
        /// `MapperSettings.scriptVersion`: a changed ABC script remaps everything.
        var script: Int
        /// Whether the step reads a `care` input (don't-cares on).
        var dontCares: Bool
    }

    static func id(_ partition: PartitionID) -> String { "synthesize/\(TrainStep.memberName(partition))" }

    /// `synthesize/exact/layerL/pK` (with don't-cares): the same table mapped
    /// without its care set, for the LUT saving. Its key is the one
    /// `synthesize/layerL/pK` has without don't-cares, so the two share results.
    static func exactID(_ partition: PartitionID) -> String { "synthesize/exact/\(TrainStep.memberName(partition))" }

    /// `care`: the partition's care set (`CareSet.encoded()`), when don't-cares
    /// are on; the step then also outputs `table`, the filled table the
    /// netlist computes (the truth for LUT inference, RTL and reports).
    static let table = StepInputName("table", decode: StepCodecs.decodeTable)
    static let care = StepInputName("care", decode: CareSetStep.decode)

    static func make(
        _ partition: PartitionID, _ config: ProjectConfig, care: StepSource<CareSet>? = nil,
        stepID: String? = nil
    ) throws -> Step {
        var inputs = StepInputs()
        inputs.bind(table, to: OutputRefs.table(partition))
        if let care { inputs.bind(Self.care, to: care) }
        return try step(
            id: stepID ?? id(partition),
            Parameters(mapper: mapperSettings(config), script: MapperSettings.scriptVersion, dontCares: care != nil),
            inputs: inputs, outputs: care == nil ? ["netlist"] : ["netlist", "table"])
    }

    /// The filled table of a partition mapped with don't-cares.
    static func filledTable(_ partition: PartitionID) -> StepSource<TruthTable> { .output(step: id(partition), name: "table") }

    static func netlist(_ partition: PartitionID) -> StepSource<LUTNetlist> { .output(step: id(partition), name: "netlist") }

    /// With don't-cares: the netlist of the exact table (`exactID`).
    static func exactNetlist(_ partition: PartitionID) -> StepSource<LUTNetlist> {
        .output(step: exactID(partition), name: "netlist")
    }

    static func mapperSettings(_ config: ProjectConfig) -> MapperSettings {
        MapperSettings(effort: config.hardware.mapperEffort)
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let table = try context.read(Self.table)
        let care = try parameters.dontCares ? context.read(Self.care) : nil
        let mapped = try LUTMapper(settings: parameters.mapper).map(table, care: care, isCancelled: { context.isCancelled })
        var outputs: StepOutputs = ["netlist": Data(mapped.netlist.encoded().utf8)]
        if care != nil { outputs["table"] = StepCodecs.encode(mapped.netlist.truthTable) }
        return outputs
    }

    static func decode(_ data: Data) throws -> LUTNetlist {
        try LUTNetlist(decoding: String(decoding: data, as: UTF8.self))
    }
}
