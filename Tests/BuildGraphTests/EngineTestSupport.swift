import BuildGraph
import Foundation
import Testing
import Synchronization

/// Records which steps ran, from concurrently running steps.
final class RunLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// A project in memory with a fake clock.
struct MemoryProject {
    let clock = FakeClock()
    let fileSystem: InMemoryFileSystem
    let engine: BuildEngine
    let root = "/project"

    init() throws {
        fileSystem = InMemoryFileSystem(clock: clock)
        try fileSystem.createDirectory(root)
        engine = BuildEngine(layout: testLayout(root), fileSystem: fileSystem, clock: clock)
    }

    /// Writes a project file; the clock moves first, so the mtime changes.
    func write(_ path: String, _ text: String) throws {
        clock.advance()
        let absolute = root + "/" + path
        try fileSystem.createDirectory(String(absolute[..<absolute.lastIndex(of: "/")!]))
        try fileSystem.writeAtomically(absolute, Data(text.utf8))
    }

    func read(_ path: String) throws -> String {
        String(decoding: try fileSystem.read(root + "/" + path), as: UTF8.self)
    }

    @discardableResult
    func build(_ graph: StepGraph, options: BuildOptions = BuildOptions(concurrency: 2)) async throws -> BuildSummary {
        clock.advance()
        return try await engine.build(graph, options: options)
    }

    /// Paths of every store object.
    /// Deletes the stored object of `unit`'s `output` (as the lock file names it) and
    /// its published copy at `published`, so the next build must make it again.
    func loseOutput(of unit: String, _ output: String, published: String) throws {
        let digest = try #require(try engine.lockFile()?.steps[unit]?.outputs[output])
        try fileSystem.remove(root + "/.lutbuild/cache/objects/" + digest.hex.prefix(2) + "/" + digest.hex.dropFirst(2))
        try fileSystem.remove(root + "/" + published)
    }

    func objectPaths() throws -> [String] {
        let objects = root + "/.lutbuild/cache/objects"
        return try fileSystem.list(objects).flatMap { prefix in
            try fileSystem.list(objects + "/" + prefix).map { objects + "/" + prefix + "/" + $0 }
        }
    }
}

func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

/// A step with one input and one output `out`, computing `transform` of its input.
func textStep(
    _ id: String, from input: StepInput, version: Int = 1, parameters: String = "",
    publish: String? = nil, log: RunLog, transform: @escaping @Sendable (String) -> String
) -> Step {
    var encoder = CanonicalEncoder()
    encoder.append("p", parameters)
    return Step(
        id: id, kind: String(id.prefix { $0 != "/" }), version: version, parameters: encoder.bytes,
        inputs: ["in": input], outputs: ["out"], publish: publish.map { ["out": $0] } ?? [:]
    ) { context in
        log.append(id)
        return ["out": Data(transform(text(try context.input("in"))).utf8)]
    }
}

/// source.txt → upper → count (length of the upper-cased text) → report.
func chainGraph(log: RunLog, upperVersion: Int = 1, publishReport: Bool = false) throws -> StepGraph {
    var graph = StepGraph()
    try graph.add(textStep("upper", from: .source("source.txt"), version: upperVersion, log: log) { $0.uppercased() })
    try graph.add(textStep("count", from: .output(step: "upper", name: "out"), log: log) { String($0.count) })
    try graph.add(
        textStep(
            "report", from: .output(step: "count", name: "out"),
            publish: publishReport ? "gen/report.txt" : nil, log: log
        ) { "length \($0)\n" })
    return graph
}

/// The layout lutbuild uses (`.lutbuild/`, `lutbuild.lock`), as the tests expect it.
func testLayout(_ root: String) -> ProjectLayout {
    ProjectLayout(root: root, stateDirectoryName: ".lutbuild", lockFileName: "lutbuild.lock")
}
