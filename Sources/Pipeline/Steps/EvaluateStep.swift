import BuildGraph
import Foundation
import NeuraLUT
import ProjectFile

/// `evaluate`: the LUT network's test and validation accuracy by software LUT
/// inference (the tables, exactly what the RTL computes) and the design's latency,
/// published as `gen/reports/lut_inference.json` for the end-of-build summary.
/// With don't-cares it also compares the filled network with the exact one
/// (`FillingEffect`: both accuracies, test lookups outside the care sets).
enum EvaluateStep: PipelineStep {
    static let id = "evaluate"
    static let kind = "evaluate"
    static let version = 4
    static let reportPath = OutputLayout.Report.inference

    typealias Report = InferenceReport

    struct Parameters: Codable, Sendable {
        var latencyCycles: Int
        /// Partitions whose care sets are inputs (`care/layerL/pK`); empty without don't-cares.
        var careSets: [PartitionID]
    }

    /// With don't-cares: the network of the exact tables.
    static let exact = StepInputName("exact", decode: NetworkStep.decode)

    static func make(_ config: ProjectConfig) throws -> Step {
        let latency = VerilogSteps.rtlOptions(config).registers.latency(layers: config.model.layers.count)
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.network)
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        var careSets: [PartitionID] = []
        if PipelineGraph.fillsDontCares(config) {
            inputs.bind(exact, to: OutputRefs.exactNetwork(config))
            for partition in PipelineGraph.partitionIDs(config) {
                inputs.bind(CommonInputs.careSets[TrainStep.memberName(partition)], to: CareSetStep.output(partition))
                careSets.append(partition)
            }
        }
        return try step(
            id: id, Parameters(latencyCycles: latency, careSets: careSets), inputs: inputs,
            outputs: ["report"], publish: ["report": reportPath])
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let network = try context.read(CommonInputs.network)
        let data = try context.read(CommonInputs.data)
        let (test, validation) = (data.test, data.validation)
        context.progress("LUT inference on \(test.rows) test and \(validation.rows) validation rows")
        // With don't-cares, the filling's comparison has the filled network's accuracies already.
        var effect: FillingEffect?
        if !parameters.careSets.isEmpty {
            let exact = try context.read(Self.exact)
            var careSets = exact.spec.layers.map { _ in [CareSet]() }
            for partition in parameters.careSets {
                careSets[partition.layer].append(try context.read(CommonInputs.careSets[TrainStep.memberName(partition)]))
            }
            effect = try FillingEffect(exact: exact, filled: network, careSets: careSets, test: test, validation: validation)
        }
        var report = Report(
            testAccuracy: try effect?.filledTestAccuracy ?? network.accuracy(dataset: test), testSamples: test.rows,
            latencyCycles: parameters.latencyCycles, dontCare: effect)
        if validation.rows > 0 {
            report.validationAccuracy = try effect?.filledValidationAccuracy ?? network.accuracy(dataset: validation)
            report.validationSamples = validation.rows
        }
        return ["report": try StepCodecs.json(report)]
    }
}

/// `gen/reports/lut_inference.json`, written by `evaluate`; the build's
/// summary, sweeps and the report page read it as this type.
public struct InferenceReport: Codable, Equatable, Sendable {
    /// Software LUT inference (the truth tables) on the test set.
    public var testAccuracy: Double
    public var testSamples: Int
    /// The same on the validation rows, where models and seeds are chosen; nil without them.
    public var validationAccuracy: Double?
    public var validationSamples: Int?
    /// Register stages of the emitted top module (`[rtl] registers`).
    public var latencyCycles: Int
    /// With `[hardware] dont_care`: the exact network against the filled one (`testAccuracy`).
    public var dontCare: FillingEffect?

    public init(testAccuracy: Double, testSamples: Int, latencyCycles: Int, dontCare: FillingEffect? = nil) {
        self.testAccuracy = testAccuracy
        self.testSamples = testSamples
        self.latencyCycles = latencyCycles
        self.dontCare = dontCare
    }
}
