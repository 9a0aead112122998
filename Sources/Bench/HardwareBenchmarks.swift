import Foundation
import Pipeline
import Synthesis
import Synchronization
import TestSupport

/// The hardware half as a new user meets it (issue 11), with the release
/// binary in a fresh project folder: the template's first `lutbuild build`
/// (train, tables, mapping, RTL, verify, estimate, packaging), and an
/// mnist-5l project's estimate and verify steps.
let hardwareBenchmarks: [Benchmark] = [
    Benchmark(names: ["build.digits.first_s", "hw.digits.luts", "hw.digits.test_acc"]) {
        try inTemporaryProject(name: "template") { directory in
            let lutbuild = ReleaseLutbuild()
            try lutbuild.run(["init", "."], in: directory)
            let build = try lutbuild.run(["build"], in: directory)
            return [Figure(name: "build.digits.first_s", value: build.seconds, unit: "s")]
                + (try hardwareFigures(name: "digits", in: directory))
        }
    },
    Benchmark(names: [
        "hw.mnist-5l.luts", "hw.mnist-5l.test_acc", "estimate.mnist-5l.s",
        "verify.mnist-5l.s", "verify.mnist-5l.mismatches", "verify.mnist-5l.peak_rss_mb",
    ]) {
        // 10 epochs; `bench/run --full` trains the reference schedule to the end.
        try inTemporaryProject(name: "mnist-5l") { directory in
            try mnistProject(epochs: CommandLine.arguments.contains("--full") ? mnistFullEpochs : 10)(directory)
            // Everything but the simulation first, so the second build runs the verify step alone
            // and the process tree's peak memory is that step's (lutbuild plus compiler and simulator).
            let lutbuild = ReleaseLutbuild()
            let first = try lutbuild.run(["build", "--json", "--no-verify"], in: directory)
            let second = try lutbuild.run(["build", "--json"], in: directory)
            guard let estimate = first.stepSeconds["estimate"], let verify = second.stepSeconds["verify"] else {
                throw BenchError("the builds ran no estimate or no verify step (second build ran: \(second.stepSeconds.keys.sorted()))")
            }
            let mismatches = try ReleaseLutbuild.report(VerifyReport.self, OutputLayout.Report.verify, in: directory).mismatches
            return try hardwareFigures(name: "mnist-5l", in: directory) + [
                Figure(name: "estimate.mnist-5l.s", value: estimate, unit: "s"),
                Figure(name: "verify.mnist-5l.s", value: verify, unit: "s"),
                Figure(name: "verify.mnist-5l.mismatches", value: Double(mismatches), unit: "samples"),
                Figure(name: "verify.mnist-5l.peak_rss_mb", value: Double(second.peakTreeBytes) / 1e6, unit: "MB"),
            ]
        }
    },
]

/// Runs `body` with a fresh, empty project folder, removed afterwards.
func inTemporaryProject(name: String, _ body: (URL) throws -> [Figure]) throws -> [Figure] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-bench-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// `hw.NAME.luts` (lutbuild's exact count of the mapped partitions,
/// gen/reports/estimate.json) and `hw.NAME.test_acc` (the RTL's test
/// accuracy in simulation, gen/reports/verify.json) of the project built in `directory`.
func hardwareFigures(name: String, in directory: URL) throws -> [Figure] {
    let luts = try ReleaseLutbuild.report(MappedEstimate.self, OutputLayout.Report.estimateJSON, in: directory).luts
    guard let accuracy = try ReleaseLutbuild.report(VerifyReport.self, OutputLayout.Report.verify, in: directory).accuracy else {
        throw BenchError("the \(name) build wrote no RTL accuracy")
    }
    return [
        Figure(name: "hw.\(name).luts", value: Double(luts), unit: "LUTs"),
        Figure(name: "hw.\(name).test_acc", value: accuracy, unit: "fraction"),
    ]
}

/// The release `lutbuild` (`bench/run` builds it), run as a user runs it.
struct ReleaseLutbuild {
    let binary = URL(fileURLWithPath: ".build/release/lutbuild").standardizedFileURL
    /// How often the process tree's memory is sampled.
    static let sampleInterval = 0.05

    struct Run {
        var seconds: Double
        /// Peak of lutbuild's and all its child processes' resident memory summed (sampled).
        var peakTreeBytes: Int
        /// Steps that ran (`--json` builds): step id → seconds.
        var stepSeconds: [String: Double]
    }

    /// Runs `lutbuild ARGUMENTS` in `directory`; throws with its error output unless it exits 0.
    /// `stoppingAfter`: a `--json` build is interrupted (SIGINT, as Ctrl-C) once that step has
    /// finished, and its exit for the interruption counts as success: what it published stays.
    @discardableResult
    func run(_ arguments: [String], in directory: URL, stoppingAfter stopStep: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        // A file, not a pipe: a long build's messages must not block it while stdout is read.
        let errorLog = directory.appendingPathComponent(".bench-stderr.log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        let errors = try FileHandle(forWritingTo: errorLog)
        defer { try? errors.close() }
        process.standardError = errors

        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let memory = TreeMemory(root: process.processIdentifier)
        Thread { memory.sample(every: Self.sampleInterval) }.start()
        var steps: [String: Double] = [:]
        var pending = Data()
        var interrupted = false
        let reader = output.fileHandleForReading
        while case let chunk = reader.availableData, !chunk.isEmpty {
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                guard let (step, stepSeconds) = Self.finishedStep(line) else { continue }
                steps[step] = stepSeconds
                if step == stopStep, !interrupted {
                    interrupted = true
                    kill(process.processIdentifier, SIGINT)
                }
            }
        }
        process.waitUntilExit()
        memory.stop()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard process.terminationStatus == 0 || interrupted else {
            let text = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw BenchError("lutbuild \(arguments.joined(separator: " ")) failed: \(text.suffix(4000))")
        }
        return Run(seconds: seconds, peakTreeBytes: memory.peakBytes, stepSeconds: steps)
    }

    /// The step and seconds of a `--json` build's `finished` event; nil for any other line.
    static func finishedStep(_ line: Data) -> (String, Double)? {
        guard let event = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            event["event"] as? String == "finished", let step = event["step"] as? String,
            let seconds = event["seconds"] as? Double
        else { return nil }
        return (step, seconds)
    }

    /// A JSON report the build published (`path` relative to the project, e.g. `OutputLayout.Report.estimateJSON`).
    /// A report the build wrote, read as the type its step writes (`VerifyReport`, `MappedEstimate`, `ResourceEstimate`).
    static func report<Report: Decodable>(_ type: Report.Type, _ path: String, in directory: URL) throws -> Report {
        let data = try Data(contentsOf: directory.appendingPathComponent(path))
        do {
            return try JSONDecoder().decode(Report.self, from: data)
        } catch {
            throw BenchError("\(path) is no \(Report.self): \(error)")
        }
    }
}

/// The peak of a process tree's summed resident memory, sampled on a thread of its own.
final class TreeMemory: Sendable {
    let root: Int32
    private let peak = Mutex(0)
    private let stopped = Atomic(false)

    init(root: Int32) { self.root = root }

    var peakBytes: Int { peak.withLock { $0 } }

    func sample(every interval: Double) {
        while !stopped.load(ordering: .acquiring) {
            let bytes = ProcessTree.residentBytes(ofTree: root)
            peak.withLock { $0 = max($0, bytes) }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    func stop() { stopped.store(true, ordering: .releasing) }
}
