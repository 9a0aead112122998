import Foundation
import Pipeline
import RTL
import Synthesis
import Synchronization
import ProjectFile

/// Accuracy per LUT on MNIST (issue 16): every shipped MNIST example
/// (`examples/mnist-*/lutbuild.toml`) built as a user builds it, with the
/// release binary: training, tables, mapping, RTL, simulation of the RTL on
/// the test set, and yosys' synthesis of the emitted RTL (`lutbuild estimate
/// --yosys`) to confirm lutbuild's mapped count. Long: every example trains
/// to the end, in a build folder kept under `.build/bench/frontier`, so a
/// rerun with unchanged inputs reuses the finished build.
let frontierBenchmarks: [Benchmark] = [
    Benchmark(
        names: [
            "frontier.mnist.acc", "frontier.mnist.luts", "frontier.mnist.yosys_luts",
            "frontier.mnist.rtl_mismatches", "frontier.mnist.latency_cycles",
        ], fullOnly: true
    ) {
        let lean = try ShippedExamples.results().first { $0.name == ShippedExamples.frontierExample }
        guard let lean else { throw BenchError("examples/\(ShippedExamples.frontierExample) is missing") }
        return [
            Figure(name: "frontier.mnist.acc", value: lean.accuracy, unit: "fraction"),
            Figure(name: "frontier.mnist.luts", value: Double(lean.luts), unit: "LUTs"),
            Figure(name: "frontier.mnist.yosys_luts", value: Double(lean.yosysLUTs), unit: "LUTs"),
            Figure(name: "frontier.mnist.rtl_mismatches", value: Double(lean.mismatches), unit: "samples"),
            Figure(name: "frontier.mnist.latency_cycles", value: Double(lean.latency), unit: "cycles"),
        ]
    },
    Benchmark(names: ["frontier.mnist.luts_at_96"], fullOnly: true) {
        [try ShippedExamples.fewestLUTs(reaching: 0.96, figure: "frontier.mnist.luts_at_96")]
    },
    Benchmark(names: ["frontier.mnist.luts_at_975"], fullOnly: true) {
        [try ShippedExamples.fewestLUTs(reaching: 0.975, figure: "frontier.mnist.luts_at_975")]
    },
    Benchmark(names: ["frontier.mnist.best_acc"], fullOnly: true) {
        guard let best = try ShippedExamples.results().max(by: { $0.accuracy < $1.accuracy }) else {
            throw BenchError("no shipped MNIST example (examples/mnist-*)")
        }
        FileHandle.standardError.write(Data("frontier: best accuracy \(best.accuracy) by examples/\(best.name)\n".utf8))
        return [Figure(name: "frontier.mnist.best_acc", value: best.accuracy, unit: "fraction")]
    },
]

/// The shipped MNIST examples, each built once per `lutbuild-bench` run
/// whichever frontier figures are asked for.
enum ShippedExamples {
    /// The configuration issue 16 ships as the frontier point.
    static let frontierExample = "mnist-lean"

    struct Result: Sendable {
        var name: String
        /// Test accuracy of the RTL in simulation (gen/reports/verify.json).
        var accuracy: Double
        /// Test rows where the RTL and LUT inference disagree (0 when the RTL implements the tables).
        var mismatches: Int
        /// lutbuild's mapped count (gen/reports/estimate.json).
        var luts: Int
        /// yosys' count of the emitted RTL (gen/reports/estimate_yosys.json).
        var yosysLUTs: Int
        var latency: Int
    }

    private static let built = Mutex<[Result]?>(nil)

    /// The smallest mapped LUT count of a shipped example whose RTL reaches `accuracy` on the test set.
    static func fewestLUTs(reaching accuracy: Double, figure: String) throws -> Figure {
        let results = try results()
        guard let best = results.filter({ $0.accuracy >= accuracy }).min(by: { $0.luts < $1.luts }) else {
            let measured = results.map { "\($0.name) \($0.accuracy) at \($0.luts) LUTs" }.joined(separator: ", ")
            throw BenchError("no shipped MNIST example reaches \(accuracy) test accuracy (\(measured))")
        }
        return Figure(name: figure, value: Double(best.luts), unit: "LUTs")
    }

    static func results() throws -> [Result] {
        try built.withLock { cached in
            if let cached { return cached }
            let examples = URL(fileURLWithPath: "examples")
            let names = try FileManager.default.contentsOfDirectory(atPath: examples.path)
                .filter { $0.hasPrefix("mnist-") }.sorted()
            let results = try names.map { try build(example: examples.appendingPathComponent($0)) }
            cached = results
            return results
        }
    }

    /// Builds the example's project file unchanged in a copy of the
    /// repository layout (`repo/examples/NAME` beside `shared/`) under
    /// `.build/bench/frontier`, so its relative data paths resolve as they do
    /// in a checkout; the folder is kept, so a rerun reuses the build.
    private static func build(example: URL) throws -> Result {
        let project = try ExampleCheckout.project(
            example: example, under: URL(fileURLWithPath: ".build/bench/frontier"), folder: example.lastPathComponent)
        FileHandle.standardError.write(Data("frontier: building examples/\(example.lastPathComponent) in \(project.path)\n".utf8))
        let lutbuild = ReleaseLutbuild()
        try lutbuild.run(["build"], in: project)
        // Read before `estimate`: its build leaves out the verify step, and so removes verify.json.
        let verify = try ReleaseLutbuild.report(VerifyReport.self, OutputLayout.Report.verify, in: project)
        let estimate = try ReleaseLutbuild.report(MappedEstimate.self, OutputLayout.Report.estimateJSON, in: project)
        try lutbuild.run(["estimate", "--yosys"], in: project)
        let yosys = try ReleaseLutbuild.report(ResourceEstimate.self, OutputLayout.Report.yosysEstimateJSON, in: project)
        guard let accuracy = verify.accuracy else {
            throw BenchError("examples/\(example.lastPathComponent): the build wrote no RTL accuracy")
        }
        return Result(
            name: example.lastPathComponent, accuracy: accuracy, mismatches: verify.mismatches, luts: estimate.luts,
            yosysLUTs: yosys.luts, latency: estimate.latency)
    }
}

/// A shipped example's project file in a copy of the repository's layout
/// (`ROOT/repo/examples/FOLDER` beside `ROOT/shared`, a link to the shared
/// datasets), so its relative data paths resolve as they do in a checkout.
enum ExampleCheckout {
    /// The project folder, made if needed, holding a fresh copy of `example`'s project file.
    static func project(example: URL, under root: URL, folder: String) throws -> URL {
        let root = root.standardizedFileURL
        let project = root.appendingPathComponent("repo/examples").appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        let shared = root.appendingPathComponent("shared")
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: shared.path)) == nil {
            try FileManager.default.createSymbolicLink(
                at: shared, withDestinationURL: sharedDatasets.deletingLastPathComponent().standardizedFileURL)
        }
        let projectFile = project.appendingPathComponent(ProjectConfig.fileName)
        try? FileManager.default.removeItem(at: projectFile)
        try FileManager.default.copyItem(at: example.appendingPathComponent(ProjectConfig.fileName), to: projectFile)
        return project
    }
}
