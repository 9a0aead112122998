import BuildGraph
import Foundation
import NeuraLUT

/// `evaluate`: the LUT network's test accuracy by software LUT inference
/// (the tables, exactly what the RTL computes) and the design's latency,
/// published as `gen/reports/lut_inference.json` for the end-of-build summary.
enum EvaluateStep {
    static let id = "evaluate"
    static let reportPath = "gen/reports/lut_inference.json"

    struct Report: Codable, Equatable {
        var testAccuracy: Double
        var testSamples: Int
        /// Register stages of the emitted top module (`[rtl] registers`).
        var latencyCycles: Int
    }

    static func make(_ project: Project) throws -> Step {
        let config = project.config
        let latency = VerilogSteps.rtlOptions(config).registers.latency(layers: config.model.layers.count)
        return Step(id: id, kind: "evaluate", version: 1, parameters: try StepCodecs.parameters("latency", latency),
                    inputs: ["network": OutputRefs.network, "summary": OutputRefs.summary],
                    outputs: ["report"], publish: ["report": reportPath]) { context in
            let network = try NetworkStep.decode(try context.input("network"))
            _ = try context.input("summary")
            let test = try project.prepareData().test
            context.progress("LUT inference on \(test.rows) test rows")
            let report = Report(testAccuracy: try network.accuracy(dataset: test), testSamples: test.rows, latencyCycles: latency)
            return ["report": try StepCodecs.json(report)]
        }
    }
}
