import BuildGraph
import Foundation
import RTL

/// `estimate`: yosys' Xilinx synthesis of the emitted RTL, for LUT and
/// flip-flop counts and logic depth (a quick check before Vivado).
enum EstimateStep: PipelineStep {
    static let id = "estimate"
    static let kind = "estimate"
    static let version = 2

    struct Parameters: Codable, Sendable {
        var family: String
        var top: String
        /// The RTL inputs (`rtl/<file>`) in the order yosys reads them.
        var rtlFiles: [String]
    }

    static func make(_ config: ProjectConfig) throws -> Step {
        let (inputs, files) = VerilogSteps.inputs(config)
        return try step(id: id, Parameters(family: Estimator().family, top: config.project.top, rtlFiles: files),
                        inputs: inputs, outputs: ["json", "text"],
                        publish: ["json": OutputLayout.Report.estimateJSON, "text": OutputLayout.Report.estimateText],
                        usesAllCores: true)
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let directory = URL(fileURLWithPath: try context.scratchDirectory())
        var files: [URL] = []
        for name in parameters.rtlFiles {
            let url = directory.appendingPathComponent(name)
            try context.input("rtl/" + name).write(to: url)
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
