import BuildGraph
import Foundation
import NeuraLUT
import RTL

/// `testbench` (self-checking bench and vectors from the test set, by
/// software LUT inference) and `verify` (RTL simulation, zero mismatches).
enum VerificationSteps {
    static let testbenchID = "testbench"
    static let verifyID = "verify"
    static let testbenchFiles = ["\(Testbench.moduleName).v", "inputs.hex", "outputs.hex", "classes.hex", "labels.hex"]

    static func testbench(_ project: Project) throws -> Step {
        let options = VerilogSteps.rtlOptions(project.config)
        var publish: [String: String] = [:]
        for file in testbenchFiles { publish[file] = "gen/tb/\(file)" }
        return Step(id: testbenchID, kind: "testbench", version: 2, parameters: try StepCodecs.parameters("rtl", options),
                    inputs: ["network": OutputRefs.network, "summary": OutputRefs.summary],
                    outputs: testbenchFiles, publish: publish) { context in
            let network = try NetworkStep.decode(try context.input("network"))
            _ = try context.input("summary")
            let prepared = try project.prepareData()
            let vectors = try TestVectors(network: network, dataset: prepared.test)
            let design = try VerilogEmitter.design(network: network, options: options)
            var outputs: StepOutputs = [:]
            for file in Testbench.files(design: design, network: network, vectors: vectors) {
                outputs[file.path] = Data(file.contents.utf8)
            }
            return outputs
        }
    }

    static func verify(_ project: Project, simulator: Simulator?) throws -> Step {
        let rtl = VerilogSteps.allOutputs(project.config)
        var inputs: [String: StepInput] = [:]
        for (name, input) in rtl { inputs["rtl/" + name] = input }
        for file in testbenchFiles { inputs["tb/" + file] = .output(step: testbenchID, name: file) }
        return Step(id: verifyID, kind: "verify", version: 1,
                    // Which simulator checks the design does not change the verdict, so it is not part of the key.
                    parameters: Data(),
                    inputs: inputs, outputs: ["report"], publish: ["report": "gen/reports/verify.json"],
                    usesAllCores: true) { context in
            let directory = URL(fileURLWithPath: try context.scratchDirectory())
            let rtlDirectory = directory.appendingPathComponent("rtl"), tbDirectory = directory.appendingPathComponent("tb")
            for folder in [rtlDirectory, tbDirectory] {
                try? FileManager.default.removeItem(at: folder)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            var rtlFiles: [URL] = []
            for (name, _) in rtl {
                let url = rtlDirectory.appendingPathComponent(name)
                try context.input("rtl/" + name).write(to: url)
                rtlFiles.append(url)
            }
            for file in testbenchFiles {
                try context.input("tb/" + file).write(to: tbDirectory.appendingPathComponent(file))
            }
            context.progress("simulating \(rtlFiles.count) modules")
            let report = try Verifier(simulator: simulator, isCancelled: { context.isCancelled }).run(rtlFiles: rtlFiles, testbenchDirectory: tbDirectory)
            guard report.passed else {
                throw PipelineError("RTL simulation disagrees with software LUT inference: \(report.summary)")
            }
            // Timings vary from run to run; the stored report keeps only what the design determines.
            struct Stored: Encodable {
                var simulator: String
                var samples: Int
                var mismatches: Int
                var cycles: Int
                var accuracy: Double?
            }
            return ["report": try StepCodecs.json(Stored(
                simulator: report.simulator.rawValue, samples: report.samples, mismatches: report.mismatches,
                cycles: report.cycles, accuracy: report.accuracy))]
        }
    }
}
