import BuildGraph
import Foundation
import Testing

/// Losing or corrupting the object store never wedges a project: one build
/// recovers however deep the chain of lost objects, what it learns is kept on
/// disk, and `status` does not call a project clean that a build must rebuild.
@Suite struct StoreLossTests {
    static let depth = 9

    /// source.txt → s0 → s1 → … → s8, each appending its number; the last is published.
    static func deepChain(log: RunLog, failing: Set<String> = []) throws -> StepGraph {
        var graph = StepGraph()
        for level in 0..<depth {
            let id = "s\(level)"
            let input: StepInput = level == 0 ? .source("source.txt") : .output(step: "s\(level - 1)", name: "out")
            try graph.add(
                Step(
                    id: id, kind: "s", version: 1, parameters: Data(id.utf8), inputs: ["in": input],
                    outputs: ["out"], publish: level == depth - 1 ? ["out": "gen/out.txt"] : [:]
                ) { context in
                    log.append(id)
                    if failing.contains(id) { throw BuildError.stepFailed(step: id, message: "told to fail") }
                    return ["out": Data((text(try context.input("in")) + " \(level)").utf8)]
                })
        }
        return graph
    }

    func loseStore(_ project: MemoryProject) throws {
        try project.fileSystem.remove(project.root + "/.lutbuild/cache/objects")
        try project.fileSystem.remove(project.root + "/gen/out.txt")
    }

    @Test func oneBuildRecoversADeepChainAfterTheStoreIsLost() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "x")
        try await project.build(Self.deepChain(log: RunLog()))
        try loseStore(project)

        let log = RunLog()
        let summary = try await project.build(Self.deepChain(log: log))
        #expect(summary.ran == (0..<Self.depth).map { "s\($0)" })
        #expect(try project.read("gen/out.txt") == "x 0 1 2 3 4 5 6 7 8")
        #expect(try await project.build(Self.deepChain(log: RunLog())).ran.isEmpty)
    }

    @Test func corruptingEveryObjectIsRecoveredInOneBuild() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "x")
        try await project.build(Self.deepChain(log: RunLog()))
        for path in try project.objectPaths() { try project.fileSystem.overwrite(path, Data("garbage".utf8)) }
        try project.fileSystem.remove(project.root + "/gen/out.txt")

        let summary = try await project.build(Self.deepChain(log: RunLog()))
        #expect(summary.ran.count == Self.depth)
        #expect(try project.read("gen/out.txt") == "x 0 1 2 3 4 5 6 7 8")
    }

    @Test func whatABuildFindsMissingIsForgottenOnDisk() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "x")
        try await project.build(Self.deepChain(log: RunLog()))
        try loseStore(project)

        // The last step fails after its producers were found lost and rebuilt.
        let failing: Set<String> = ["s8"]
        await #expect(throws: BuildFailure.self) { try await project.build(Self.deepChain(log: RunLog(), failing: failing)) }
        // The next build trusts no lost record again: it finds nothing missing and reruns only s8.
        let summary = try await project.build(Self.deepChain(log: RunLog()))
        #expect(summary.corruptObjects.isEmpty)
        #expect(summary.ran == ["s8"])
    }

    @Test func statusIsNotCleanWhenTheStoreCannotRebuildAPublishedFile() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "x")
        try await project.build(Self.deepChain(log: RunLog()))
        #expect(try project.engine.status(Self.deepChain(log: RunLog())).isClean)
        try loseStore(project)
        let report = try project.engine.status(Self.deepChain(log: RunLog()))
        #expect(!report.isClean)
        #expect(report.missing == ["gen/out.txt"])
        #expect(report.stale.map(\.id) == (0..<Self.depth).map { "s\($0)" })
    }

    @Test func aBuildThatFailsToRecoverLeavesStatusUnclean() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "x")
        try await project.build(Self.deepChain(log: RunLog()))
        try loseStore(project)
        let failing: Set<String> = ["s0"]
        await #expect(throws: BuildFailure.self) { try await project.build(Self.deepChain(log: RunLog(), failing: failing)) }
        #expect(try !project.engine.status(Self.deepChain(log: RunLog())).isClean)
    }
}

@Suite struct StoreTemporaryTests {
    @Test func garbageCollectionRemovesTemporariesOfKilledBuilds() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: RunLog()))
        let objects = project.root + "/.lutbuild/cache/objects"
        let prefix = try #require(try project.fileSystem.list(objects).first)
        try project.fileSystem.writeAtomically("\(objects)/\(prefix)/.tmp-123-456", Data("half an object".utf8))
        try project.fileSystem.writeAtomically("\(objects)/.tmp-123-789", Data("a half-made folder".utf8))
        let report = try project.engine.collectGarbage()
        #expect(report.removedTemporaries == 2)
        #expect(try project.fileSystem.list("\(objects)/\(prefix)").allSatisfy { !$0.hasPrefix(".tmp-") })
        #expect(try project.fileSystem.list(objects).allSatisfy { !$0.hasPrefix(".tmp-") })
        #expect(try await project.build(chainGraph(log: RunLog())).ran.isEmpty)
    }
}

/// git's racy-timestamp problem: an edit within the timestamp granularity of
/// the stat cache's own write, keeping size and mtime, is still seen.
@Suite struct RacyTimestampTests {
    @Test func anEditInTheSameTickAsTheStatCacheWriteIsSeen() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        // Built without the clock moving: the stat cache is written in the source's own tick.
        try await project.engine.build(chainGraph(log: RunLog()), options: BuildOptions(concurrency: 2))
        let stat = try #require(project.fileSystem.stat(project.root + "/source.txt"))
        try project.fileSystem.overwrite(project.root + "/source.txt", Data("xyz".utf8))
        project.fileSystem.setModificationTime(project.root + "/source.txt", nanoseconds: stat.mtimeNanoseconds)
        #expect(project.fileSystem.stat(project.root + "/source.txt") == stat)
        // "XYZ" has the length of "abc": the report is cut off.
        #expect(try await project.build(chainGraph(log: RunLog())).ran == ["upper", "count"])
    }

    @Test func statusVerifyRehashesEveryFile() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: RunLog(), publishReport: true))
        let stat = try #require(project.fileSystem.stat(project.root + "/source.txt"))
        try project.fileSystem.overwrite(project.root + "/source.txt", Data("xyz".utf8))
        project.fileSystem.setModificationTime(project.root + "/source.txt", nanoseconds: stat.mtimeNanoseconds)
        #expect(try project.engine.status(chainGraph(log: RunLog(), publishReport: true)).isClean, "the stat is trusted")
        let verified = try project.engine.status(chainGraph(log: RunLog(), publishReport: true), verify: true)
        #expect(verified.stale.map(\.id) == ["upper", "count", "report"])
    }

    /// Issue: after losing the index files, `status` said nothing was stale
    /// (the lock file matched) while `build` ran every step again. `status`
    /// now lists what the build will rerun, and still calls gen/ clean.
    @Test func statusPredictsTheRerunAfterTheIndexIsLost() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "x")
        try await project.build(StoreLossTests.deepChain(log: RunLog()))
        #expect(try project.engine.status(StoreLossTests.deepChain(log: RunLog())).rerun.isEmpty)

        try project.fileSystem.remove(project.root + "/.lutbuild/cache/index")
        let report = try project.engine.status(StoreLossTests.deepChain(log: RunLog()))
        #expect(report.stale.isEmpty && report.isClean)
        #expect(report.rerun.map(\.id) == (0..<StoreLossTests.depth).map { "s\($0)" })
        #expect(report.rerun.allSatisfy { $0.reasons == [.notInCache] })

        let summary = try await project.build(StoreLossTests.deepChain(log: RunLog()))
        #expect(summary.ran == report.rerun.map(\.id))
        #expect(try project.engine.status(StoreLossTests.deepChain(log: RunLog())).rerun.isEmpty)
    }
}
