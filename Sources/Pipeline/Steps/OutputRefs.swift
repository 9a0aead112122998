import BuildGraph
import Foundation
import NeuraLUT
import ProjectFile

/// The outputs several steps read, typed by what their bytes hold.
enum OutputRefs {
    static let summary = StepSource<DataSummary>.output(step: PrepareDataStep.id, name: "summary")
    static let data = StepSource<PreparedData>.output(step: PrepareDataStep.id, name: "data")
    static let featureNames = StepSource<[String]>.output(step: PrepareDataStep.id, name: "feature_names")
    static let connectivity = StepSource<Connectivity>.output(step: ConnectivityStep.id, name: "connectivity")
    static let quantizers = StepSource<QuantizerParameters>.output(step: TrainStep.id, name: TrainStep.quantizersMember)
    static let network = StepSource<LUTNetwork>.output(step: NetworkStep.id, name: "network")

    /// The network of the exact (tabulated) tables: `network` itself unless don't-cares are filled.
    static func exactNetwork(_ config: ProjectConfig) -> StepSource<LUTNetwork> {
        .output(step: PipelineGraph.fillsDontCares(config) ? NetworkStep.exactID : NetworkStep.id, name: "network")
    }

    static func weights(_ id: PartitionID) -> StepSource<PartitionWeights> {
        .output(step: TrainStep.id, name: TrainStep.memberName(id))
    }

    static func table(_ id: PartitionID) -> StepSource<TruthTable> { .output(step: TabulateStep.id(id), name: "table") }
}

/// The inputs several steps read, each declared once with its decoder.
enum CommonInputs {
    static let summary = StepInputName("summary", decode: PrepareDataStep.decode)
    /// The prepared data, without feature names (`featureNames` reads those).
    static let data = StepInputName("data") { try PreparedDataCodec.decode($0) }
    static let featureNames = StepInputName("feature_names") {
        try StepCodecs.decodeJSON([String].self, $0, what: "feature names")
    }
    static let connectivity = StepInputName("connectivity") {
        try StepCodecs.decodeJSON(Connectivity.self, $0, what: "connectivity")
    }
    static let quantizers = StepInputName("quantizers") { try QuantizerParameters(decoding: [UInt8]($0)) }
    static let network = StepInputName("network", decode: NetworkStep.decode)
    /// Per-partition inputs, keyed by `TrainStep.memberName`.
    static let tables = StepInputFamily("table", decode: StepCodecs.decodeTable)
    static let weights = StepInputFamily("weights") { try PartitionWeights(decoding: [UInt8]($0)) }
    static let careSets = StepInputFamily("care", decode: CareSetStep.decode)
    static let netlists = StepInputFamily("netlist", decode: SynthesizeStep.decode)
    /// The emitted Verilog files, keyed by file name.
    static let rtl = StepInputFamily("rtl")
}
