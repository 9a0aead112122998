import BuildGraph
import Foundation
import NeuraLUT

/// `evaluate`: the LUT network's test accuracy by software LUT inference
/// (the tables, exactly what the RTL computes) and the design's latency,
/// published as `gen/reports/lut_inference.json` for the end-of-build summary.
enum EvaluateStep: PipelineStep {
    static let id = "evaluate"
    static let kind = "evaluate"
    static let version = 2
    static let reportPath = OutputLayout.Report.inference

    struct Report: Codable, Equatable {
        var testAccuracy: Double
        var testSamples: Int
        /// Register stages of the emitted top module (`[rtl] registers`).
        var latencyCycles: Int
    }

    struct Parameters: Codable, Sendable {
        var latencyCycles: Int
    }

    static func make(_ config: ProjectConfig) throws -> Step {
        let latency = VerilogSteps.rtlOptions(config).registers.latency(layers: config.model.layers.count)
        return try step(id: id, Parameters(latencyCycles: latency), inputs: ["network": OutputRefs.network, "data": OutputRefs.data],
                        outputs: ["report"], publish: ["report": reportPath])
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let network = try NetworkStep.decode(try context.input("network"))
        let test = try PrepareDataStep.data(context).test
        context.progress("LUT inference on \(test.rows) test rows")
        let report = Report(testAccuracy: try network.accuracy(dataset: test), testSamples: test.rows,
                            latencyCycles: parameters.latencyCycles)
        return ["report": try StepCodecs.json(report)]
    }
}
