import BuildGraph
import Foundation
import RTL

/// `estimate`: yosys' Xilinx synthesis of the emitted RTL, for LUT and
/// flip-flop counts and logic depth (a quick check before Vivado).
enum EstimateStep {
    static let id = "estimate"

    static func make(_ project: Project) throws -> Step {
        let config = project.config
        let rtl = VerilogSteps.allOutputs(config)
        var inputs: [String: StepInput] = [:]
        for (name, input) in rtl { inputs["rtl/" + name] = input }
        let estimator = Estimator()
        return Step(id: id, kind: "estimate", version: 1, parameters: try StepCodecs.parameters("family", estimator.family),
                    inputs: inputs, outputs: ["json", "text"],
                    publish: ["json": "gen/reports/estimate.json", "text": "gen/reports/estimate.txt"],
                    usesAllCores: true) { context in
            let directory = URL(fileURLWithPath: try context.scratchDirectory())
            var files: [URL] = []
            for (name, _) in rtl {
                let url = directory.appendingPathComponent(name)
                try context.input("rtl/" + name).write(to: url)
                files.append(url)
            }
            context.progress("yosys synth_xilinx on \(files.count) modules")
            var estimator = estimator
            estimator.isCancelled = { context.isCancelled }
            // The JSON leaves the run time out, and the text its "(N s)" line: the stored reports are deterministic.
            let estimate = try estimator.estimate(verilogFiles: files, top: config.project.top, workDirectory: directory)
            let text = estimate.report.split(separator: "\n").filter { !$0.hasPrefix("  (") }.joined(separator: "\n") + "\n"
            return ["json": try estimate.json(), "text": Data(text.utf8)]
        }
    }
}
