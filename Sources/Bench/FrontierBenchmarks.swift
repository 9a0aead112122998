import Foundation
import Pipeline
import Synchronization
import ProjectFile

/// Accuracy per LUT on MNIST (issue 16): every shipped MNIST example
/// (`examples/mnist-*/lutbuild.toml`) built as a user builds it, with the
/// release binary (`lutbuild build --no-verify`: training, tables, mapping,
/// RTL, LUT inference and lutbuild's mapped count; the RTL simulation of a
/// large design is left out, its outputs equal LUT inference by construction
/// and by `lutbuild verify`). Long: every example trains to the end.
let frontierBenchmarks: [Benchmark] = [
    Benchmark(names: ["frontier.mnist.acc", "frontier.mnist.luts"], fullOnly: true) {
        let lean = try ShippedExamples.results().first { $0.name == ShippedExamples.frontierExample }
        guard let lean else { throw BenchError("examples/\(ShippedExamples.frontierExample) is missing") }
        return [
            Figure(name: "frontier.mnist.acc", value: lean.accuracy, unit: "fraction"),
            Figure(name: "frontier.mnist.luts", value: Double(lean.luts), unit: "LUTs"),
        ]
    },
    Benchmark(names: ["frontier.mnist.luts_at_96"], fullOnly: true) {
        let results = try ShippedExamples.results()
        guard let best = results.filter({ $0.accuracy >= 0.96 }).min(by: { $0.luts < $1.luts }) else {
            let measured = results.map { "\($0.name) \($0.accuracy) at \($0.luts) LUTs" }.joined(separator: ", ")
            throw BenchError("no shipped MNIST example reaches 0.96 test accuracy (\(measured))")
        }
        return [Figure(name: "frontier.mnist.luts_at_96", value: Double(best.luts), unit: "LUTs")]
    },
]

/// The shipped MNIST examples, each built once per `lutbuild-bench` run
/// whichever frontier figures are asked for.
enum ShippedExamples {
    /// The configuration issue 16 ships as the frontier point.
    static let frontierExample = "mnist-lean"

    struct Result: Sendable {
        var name: String
        /// Test accuracy of LUT inference on the tables the RTL implements (gen/reports/lut_inference.json).
        var accuracy: Double
        /// lutbuild's mapped count (gen/reports/estimate.json).
        var luts: Int
    }

    private static let built = Mutex<[Result]?>(nil)

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

    /// Builds the example's project file unchanged in a scratch copy of the
    /// repository layout (`repo/examples/NAME` beside `shared/`), so its
    /// relative data paths resolve as they do in a checkout.
    private static func build(example: URL) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-bench-frontier-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let project = scratch.appendingPathComponent("repo/examples").appendingPathComponent(example.lastPathComponent)
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: scratch.appendingPathComponent("shared"),
                                                   withDestinationURL: sharedDatasets.deletingLastPathComponent().standardizedFileURL)
        try FileManager.default.copyItem(at: example.appendingPathComponent(ProjectConfig.fileName),
                                         to: project.appendingPathComponent(ProjectConfig.fileName))
        FileHandle.standardError.write(Data("frontier: building examples/\(example.lastPathComponent)\n".utf8))
        try ReleaseLutbuild().run(["build", "--no-verify"], in: project)
        let inference = try ReleaseLutbuild.report(OutputLayout.Report.inference, in: project)
        let estimate = try ReleaseLutbuild.report(OutputLayout.Report.estimateJSON, in: project)
        guard let accuracy = inference["testAccuracy"] as? Double, let luts = estimate["luts"] as? Int else {
            throw BenchError("examples/\(example.lastPathComponent): the build wrote no test accuracy or LUT count")
        }
        return Result(name: example.lastPathComponent, accuracy: accuracy, luts: luts)
    }
}
