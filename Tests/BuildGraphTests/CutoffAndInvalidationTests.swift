import BuildGraph
import Foundation
import Testing

@Suite struct CutoffAndInvalidationTests {
    @Test func noOpRebuildRunsNothing() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        let first = try await project.build(chainGraph(log: log))
        #expect(first.ran == ["upper", "count", "report"])
        let second = try await project.build(chainGraph(log: log))
        #expect(second.ran.isEmpty)
        #expect(second.cached == ["upper", "count", "report"])
        #expect(log.all == ["upper", "count", "report"])
    }

    @Test func sameOutputStopsPropagation() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: log))
        // Same length, different text: `upper` and `count` rerun, `count`'s output is equal, `report` does not.
        try project.write("source.txt", "xyz")
        let summary = try await project.build(chainGraph(log: log))
        #expect(summary.ran == ["upper", "count"])
        #expect(summary.cached == ["report"])
    }

    @Test func sourceChangeInvalidatesDependents() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: log))
        try project.write("source.txt", "abcd")
        let summary = try await project.build(chainGraph(log: log))
        #expect(summary.ran == ["upper", "count", "report"])
    }

    @Test func versionBumpRerunsTheStep() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: log))
        let summary = try await project.build(chainGraph(log: log, upperVersion: 2))
        #expect(summary.ran == ["upper"])
        let reverted = try await project.build(chainGraph(log: log, upperVersion: 1))
        #expect(reverted.ran.isEmpty, "the older key is still in the action index")
    }

    @Test func parameterChangeRerunsTheStep() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        func graph(_ suffix: String) throws -> StepGraph {
            var graph = StepGraph()
            try graph.add(textStep("tag", from: .source("source.txt"), parameters: suffix, log: log) { $0 + suffix })
            return graph
        }
        try await project.build(graph("!"))
        #expect(try await project.build(graph("?")).ran == ["tag"])
        #expect(try await project.build(graph("?")).ran.isEmpty)
    }

    @Test func missingSourceNamesFileAndStep() async throws {
        let project = try MemoryProject()
        let failure = await #expect(throws: BuildFailure.self) { try await project.build(chainGraph(log: RunLog())) }
        #expect(failure?.description == "source file 'source.txt' (input 'in' of step 'upper') does not exist")
    }
}
