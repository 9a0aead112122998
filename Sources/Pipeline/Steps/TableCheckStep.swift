import BuildGraph
import Datasets
import Foundation
import NeuraLUT
import ProjectFile

/// `check/tables`: the exact tables (before any don't-care filling) against
/// the trained network they must come from. LUT inference on them has to
/// give every partition's code of the quantized network on every test and
/// validation row; any difference fails the build, naming the first rows and
/// the first partition whose table entry is wrong. `verify` guards the RTL
/// against the tables; this step guards the tables against the trained
/// weights and quantizers (tables from other weights, a damaged table).
enum TableCheckStep: PipelineStep {
    static let id = "check/tables"
    static let kind = "table-check"
    static let version = 1
    /// Rows named in the error message.
    static let reportedRows = 5

    /// What was compared (rows and table lookups), all of it equal.
    struct Report: Codable, Equatable {
        var testRows: Int
        var validationRows: Int
        var partitions: Int
    }

    /// Reads the exact network, and what the trained network is made of:
    /// its shape (the parameters), the wiring, every partition's weights and
    /// the quantizers.
    static let tables = StepInputName("tables", decode: NetworkStep.decode)

    static func make(_ config: ProjectConfig) throws -> Step {
        var inputs = StepInputs()
        inputs.bind(tables, to: OutputRefs.exactNetwork(config))
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        inputs.bind(CommonInputs.connectivity, to: OutputRefs.connectivity)
        inputs.bind(CommonInputs.quantizers, to: OutputRefs.quantizers)
        for partition in PipelineGraph.partitionIDs(config) {
            inputs.bind(CommonInputs.weights[TrainStep.memberName(partition)], to: OutputRefs.weights(partition))
        }
        return try step(id: id, config.model.networkShape, inputs: inputs, outputs: ["report"])
    }

    static func run(_ shape: NetworkShape, _ context: StepContext) async throws -> StepOutputs {
        let tables = try context.read(Self.tables)
        let data = try context.read(CommonInputs.data)
        let trained = try trainedNetwork(shape, features: data.features, classes: data.classes, context)
        context.progress("comparing the tables with the quantized network on \(data.test.rows + data.validation.rows) rows")
        for (part, rows) in [("test", data.test), ("validation", data.validation)] {
            let mismatches: [TableMismatch]
            do {
                mismatches = try tables.mismatches(against: trained, data: rows)
            } catch let error as LUTInferenceError {
                throw PipelineError("\(error.description); \(advice)")
            }
            if !mismatches.isEmpty { throw PipelineError(message(mismatches, part: part, rows: rows.rows)) }
        }
        return [
            "report": try StepCodecs.json(
                Report(
                    testRows: data.test.rows, validationRows: data.validation.rows,
                    partitions: trained.spec.layers.map(\.partitions).reduce(0, +)))
        ]
    }

    /// The trained network from the train step's outputs, as the tables were tabulated from it.
    static func trainedNetwork(_ shape: NetworkShape, features: Int, classes: Int, _ context: StepContext) throws -> TrainedNetwork {
        let spec = shape.spec(inputFeatures: features, classes: classes)
        let connectivity = try context.read(CommonInputs.connectivity)
        let quantizers = try context.read(CommonInputs.quantizers)
        let partitions = try spec.layers.enumerated().map { layer, layerSpec in
            try (0..<layerSpec.partitions).map { index in
                try context.read(CommonInputs.weights[TrainStep.memberName(PartitionID(layer: layer, index: index))])
            }
        }
        let network = TrainedNetwork(spec: spec, connectivity: connectivity, partitions: partitions, quantizers: quantizers)
        try network.validate()
        return network
    }

    /// `the tables disagree with the trained network on 3 of 359 test rows: row 4: …; row 9: …; …`.
    static func message(_ mismatches: [TableMismatch], part: String, rows: Int) -> String {
        let named = mismatches.prefix(reportedRows).map { "\(part) \($0.description)" }
        let more = mismatches.count > reportedRows ? "; and \(mismatches.count - reportedRows) more rows" : ""
        return "the tables disagree with the trained network: LUT inference on the exact tables differs from the quantized "
            + "network on \(mismatches.count) of \(rows) \(part) rows: " + named.joined(separator: "; ") + more + "; " + advice
    }

    static let advice =
        "the tables were not tabulated from the train step's weights and quantizers (a damaged cache or a bug "
        + "in lutbuild): run `lutbuild clean` and build again"
}
