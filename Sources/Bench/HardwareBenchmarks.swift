import Foundation
import Pipeline

/// The hardware half as a new user meets it (issue 11): `lutbuild init`
/// then `lutbuild build` of the template with the release binary — wall
/// time of the whole first build (train, tables, mapping, RTL, verify,
/// estimate, packaging), lutbuild's exact LUT count and the RTL test accuracy.
let hardwareBenchmarks: [Benchmark] = [
    Benchmark(names: ["build.digits.first_s", "hw.digits.luts", "hw.digits.test_acc"]) {
        try TemplateBuildBenchmark().run()
    },
]

struct TemplateBuildBenchmark {
    func run() throws -> [Figure] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-bench-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let lutbuild = ReleaseLutbuild()
        try lutbuild.run(["init", "."], in: directory)
        let seconds = try measureSeconds { try lutbuild.run(["build"], in: directory) }
        guard let luts = try ReleaseLutbuild.report(OutputLayout.Report.estimateJSON, in: directory)["luts"] as? Int,
              let accuracy = try ReleaseLutbuild.report(OutputLayout.Report.verify, in: directory)["accuracy"] as? Double else {
            throw BenchError("the template build wrote no LUT count or RTL accuracy")
        }
        return [
            Figure(name: "build.digits.first_s", value: seconds, unit: "s"),
            Figure(name: "hw.digits.luts", value: Double(luts), unit: "LUTs"),
            Figure(name: "hw.digits.test_acc", value: accuracy, unit: "fraction"),
        ]
    }
}

/// The release `lutbuild` (`bench/run` builds it), run as a user runs it.
struct ReleaseLutbuild {
    let binary = URL(fileURLWithPath: ".build/release/lutbuild").standardizedFileURL

    /// Runs `lutbuild ARGUMENTS` in `directory`; throws with its error output unless it exits 0.
    func run(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("lutbuild \(arguments.joined(separator: " ")) failed: \(String(decoding: stderr, as: UTF8.self))")
        }
    }

    /// A JSON report the build published (`path` relative to the project, e.g. `OutputLayout.Report.estimateJSON`).
    static func report(_ path: String, in directory: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw BenchError("\(path) is not a JSON object") }
        return object
    }
}
