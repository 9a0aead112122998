import BuildGraph
import Foundation
import Synchronization
import Testing

/// `--audit`: steps a build would reuse are run again and their outputs
/// compared with the stored ones, so a key that does not determine its output
/// is found in the field and named.
@Suite struct AuditTests {
    /// A value a step reads without declaring it: the kind of leak the audit is for.
    final class Hidden: Sendable {
        private let value = Mutex("a")
        func set(_ text: String) { value.withLock { $0 = text } }
        var current: String { value.withLock { $0 } }
    }

    static func graph(log: RunLog, hidden: Hidden) throws -> StepGraph {
        var graph = try chainGraph(log: log, publishReport: true)
        try graph.add(
            textStep("leaky", from: .output(step: "upper", name: "out"), publish: "gen/leaky.txt", log: log) { text in
                text + hidden.current
            })
        try graph.add(BatchStepTests.batch(shared: "adam", own: ["8", "8"], log: log))
        return graph
    }

    /// A project built once from `graph`.
    static func built() async throws -> (MemoryProject, StepGraph, RunLog, Hidden) {
        let project = try MemoryProject()
        try project.write("source.txt", "hello")
        try project.write("data.txt", "d")
        let log = RunLog(), hidden = Hidden()
        let graph = try Self.graph(log: log, hidden: hidden)
        try await project.build(graph)
        return (project, graph, log, hidden)
    }

    @Test func aDeterministicBuildPassesTheAuditAndKeepsItsBytes() async throws {
        let (project, graph, log, _) = try await Self.built()
        let lock = try project.read("lutbuild.lock")
        let audited = try await project.build(graph, options: BuildOptions(concurrency: 2, audit: AuditSample(fraction: 1)))
        #expect(audited.ran.isEmpty)
        #expect(audited.audited.sorted() == ["count", "leaky", "report", "train/p0", "train/p1", "upper"])
        #expect(audited.auditFindings.isEmpty)
        #expect(try project.read("lutbuild.lock") == lock)
        // The batch ran again as a whole, from scratch, as a clean build runs it.
        #expect(log.all.filter { $0.hasPrefix("stale=") }.last == "stale=p0,p1 fresh=")
    }

    @Test func aStepReadingSomethingOutsideItsKeyIsNamed() async throws {
        let (project, graph, _, hidden) = try await Self.built()
        hidden.set("b")
        // A plain build cannot see it: the key is unchanged.
        #expect(try await project.build(graph).ran.isEmpty)
        let audited = try await project.build(graph, options: BuildOptions(concurrency: 2, audit: AuditSample(fraction: 1)))
        #expect(audited.auditFindings == [AuditFinding(unit: "leaky", outputs: ["out"])])
        // The build keeps the stored result; the audit only reports.
        #expect(try project.read("gen/leaky.txt") == "HELLOa")
    }

    @Test func aShareAuditsTheSameStepsEveryTime() async throws {
        let (project, graph, _, _) = try await Self.built()
        let options = BuildOptions(concurrency: 2, audit: AuditSample(fraction: 0.5))
        let first = try await project.build(graph, options: options)
        let second = try await project.build(graph, options: options)
        #expect(first.audited.sorted() == second.audited.sorted())
        #expect(first.audited.count < 6)
        #expect(try await project.build(graph, options: BuildOptions(concurrency: 2, audit: AuditSample(fraction: 0))).audited.isEmpty)
    }
}
