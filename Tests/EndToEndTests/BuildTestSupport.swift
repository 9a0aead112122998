import Foundation
import Testing

/// A tiny copy of the template project (few partitions, fan-in 4, one epoch),
/// so a full build takes seconds in debug.
struct TinyProject {
    let scratch: Scratch
    var url: URL { scratch.url }

    /// `initWith` runs `lutbuild init` (the built binary by default; another one, e.g. an installed one).
    init(
        epochs: Int = 1,
        initWith lutbuild: (_ arguments: [String], _ directory: URL) throws -> LutbuildBinary.Result = LutbuildBinary.run
    ) throws {
        scratch = try Scratch()
        let result = try lutbuild(["init", "."], scratch.url)
        try #require(result.status == 0, "\(result.stderr)")
        try edit("{ partitions = 64 }", "{ partitions = 8 }")
        try edit("{ partitions = 32 }", "{ partitions = 6 }")
        try edit("\nfan_in = 6 ", "\nfan_in = 4 ")
        try edit("\nwidth = 16 ", "\nwidth = 4 ")
        try edit("\nepochs = 100 ", "\nepochs = \(epochs) ")
    }

    /// Replaces the one occurrence of `old` in lutbuild.toml with `new`. The
    /// test fails when `old` is not there exactly once, so a change of the
    /// template cannot turn an edit into a silent no-op.
    func edit(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try scratch.read("lutbuild.toml")
        let occurrences = before.components(separatedBy: old).count - 1
        try #require(
            occurrences == 1, "lutbuild.toml has \(occurrences) occurrences of \(old.debugDescription), expected 1:\n\(before)",
            sourceLocation: sourceLocation)
        try scratch.write("lutbuild.toml", before.replacingOccurrences(of: old, with: new))
    }

    /// Adds `text` at the end of lutbuild.toml.
    func append(_ text: String) throws {
        try scratch.write("lutbuild.toml", try scratch.read("lutbuild.toml") + text)
    }

    /// Waits until training has written its first checkpoint (an epoch ended); false after `seconds`.
    func waitForTrainingCheckpoint(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            if files.contains(where: { $0.lastPathComponent == "checkpoint" }) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return false
    }

    func remove() { scratch.remove() }

    /// The training batch's units (every partition, the quantizers and the
    /// training reports), counted from the lock file, which describes the
    /// whole graph: what a whole-network training run produces.
    func trainUnits() throws -> Int {
        let lock = try JSONSerialization.jsonObject(with: Data(scratch.read("lutbuild.lock").utf8)) as? [String: Any]
        let steps = try #require(lock?["steps"] as? [String: Any])
        return steps.keys.filter { $0.hasPrefix("train/") }.count
    }

    /// `lutbuild build --json …`, with the units that ran; `environment` adds to ours.
    func build(_ arguments: [String] = ["--no-verify", "--no-estimate"], environment: [String: String] = [:]) throws -> BuildRun {
        if environment.isEmpty { return BuildRun(try LutbuildBinary.run(["build", "--json"] + arguments, in: url)) }
        guard let executable = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        return BuildRun(
            try LutbuildBinary.runProcess(
                executable, ["build", "--json"] + arguments, in: url,
                environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new }))
    }
}

/// A finished `lutbuild build --json` run, decoded.
struct BuildRun {
    var status: Int32
    var stderr: String
    var events: [[String: Any]]

    init(_ result: LutbuildBinary.Result) {
        status = result.status
        stderr = result.stderr
        events = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Every unit that ran, sorted.
    var ran: [String] {
        events.filter { $0["event"] as? String == "finished" }.flatMap { $0["units"] as? [String] ?? [] }.sorted()
    }

    func ran(prefix: String) -> [String] { ran.filter { $0.hasPrefix(prefix) } }

    /// A number from the closing `summary` event.
    func summary(_ key: String) -> Int? {
        events.last { $0["event"] as? String == "summary" }?[key] as? Int
    }

    func messages(_ event: String) -> [String] {
        events.filter { $0["event"] as? String == event }.compactMap { $0["message"] as? String }
    }
}

/// `train/layer1/p0` … for a layer of `count` partitions.
func units(_ prefix: String, layer: Int, count: Int) -> [String] {
    (0..<count).map { "\(prefix)/layer\(layer)/p\($0)" }.sorted()
}
