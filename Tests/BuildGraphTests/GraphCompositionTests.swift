import BuildGraph
import Foundation
import Testing

/// Graphs built from other graphs (`add(_:namespace:publish:)`, `keeping`),
/// as `lutbuild sweep` builds variants of a project in one build.
@Suite struct GraphCompositionTests {
    @Test func namespacedCopiesShareKeysSoEqualStepsRunOnce() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        let log = RunLog()
        var graph = StepGraph()
        for variant in ["a", "b"] {
            try graph.add(try chainGraph(log: log, publishReport: true), namespace: "sweep/\(variant)") { path in
                "gen/sweep/\(variant)/" + path.dropFirst("gen/".count)
            }
        }
        #expect(graph.stepIDs.count == 6)
        // One at a time, so each copy's steps find the other's results.
        let summary = try await project.build(graph, options: BuildOptions(concurrency: 1))
        #expect(log.all.count == 3, "\(log.all)")
        #expect(Set(summary.cached).count == 3, "\(summary.cached)")
        #expect(try project.read("gen/sweep/a/report.txt") == "length 3\n")
        #expect(try project.read("gen/sweep/b/report.txt") == "length 3\n")

        // The plain graph's steps have the same keys: nothing runs.
        let plain = try await project.build(try chainGraph(log: log, publishReport: true))
        #expect(plain.ran.isEmpty)
        #expect(log.all.count == 3)
    }

    @Test func aNilPublishDropsTheFile() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        var graph = StepGraph()
        try graph.add(try chainGraph(log: RunLog(), publishReport: true), namespace: "v") { _ in nil }
        let summary = try await project.build(graph)
        #expect(summary.written.isEmpty)
    }

    @Test func keepingLeavesOutStepsTheTargetsDoNotNeed() throws {
        let log = RunLog()
        var graph = try chainGraph(log: log)
        try graph.add(textStep("side", from: .output(step: "upper", name: "out"), log: log) { $0 })
        #expect(try graph.keeping(["count"]).stepIDs == ["upper", "count"])
        #expect(try graph.keeping(["report", "side"]).stepIDs == ["upper", "count", "report", "side"])
        #expect(throws: BuildError.self) { try graph.keeping(["nope"]) }
    }

    @Test func aSeparateLockFileLeavesTheProjectsLockAndFilesAlone() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        let log = RunLog()
        try await project.build(try chainGraph(log: log, publishReport: true))
        let lock = try project.read("lutbuild.lock")

        let sweep = BuildEngine(
            layout: ProjectLayout(
                root: project.root, stateDirectoryName: ".lutbuild",
                lockFileName: "gen/sweep/sweep.lock"),
            fileSystem: project.fileSystem, clock: project.clock)
        var graph = StepGraph()
        try graph.add(try chainGraph(log: log), namespace: "sweep/x") { _ in nil }
        project.clock.advance()
        try await sweep.build(graph)
        #expect(try project.read("lutbuild.lock") == lock)
        #expect(try project.read("gen/report.txt") == "length 3\n", "the project's published file was removed")
        #expect(project.fileSystem.exists(project.root + "/gen/sweep/sweep.lock"))
    }
}
