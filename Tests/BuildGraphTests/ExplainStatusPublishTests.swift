import BuildGraph
import Foundation
import Testing

@Suite struct ExplainStatusPublishTests {
    @Test func explainNamesTheReason() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        #expect(
            try project.engine.explain(chainGraph(log: log)) == [
                StaleStep(id: "upper", reasons: [.new]),
                StaleStep(id: "count", reasons: [.inputPending(name: "in", producer: "upper")]),
                StaleStep(id: "report", reasons: [.inputPending(name: "in", producer: "count")]),
            ])
        try await project.build(chainGraph(log: log))
        #expect(try project.engine.explain(chainGraph(log: log)).isEmpty)
        try project.write("source.txt", "abcd")
        let changed = try project.engine.explain(chainGraph(log: log))
        #expect(
            changed.first == StaleStep(id: "upper", reasons: [.inputChanged(name: "in", old: Digest.of("abc"), new: Digest.of("abcd"))]))
        let expected = "input 'in' changed (\(Digest.of("abc").short) → \(Digest.of("abcd").short))"
        #expect(changed.first?.reasons.first?.description == expected)
        try project.write("source.txt", "abc")
        #expect(
            try project.engine.explain(chainGraph(log: log, upperVersion: 3)).first
                == StaleStep(id: "upper", reasons: [.versionChanged(old: 1, new: 3)]))
        for path in try project.objectPaths() { try project.fileSystem.remove(path) }
        #expect(try project.engine.explain(chainGraph(log: log)).first == StaleStep(id: "upper", reasons: [.outputMissing(["out"])]))
    }

    @Test func publishedFilesAreWrittenOnlyWhenChanged() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        #expect(try await project.build(chainGraph(log: log, publishReport: true)).written == ["gen/report.txt"])
        #expect(try project.read("gen/report.txt") == "length 3\n")
        #expect(try await project.build(chainGraph(log: log, publishReport: true)).written.isEmpty)
        // A hand edit is undone by the next build.
        try project.write("gen/report.txt", "edited")
        #expect(try await project.build(chainGraph(log: log, publishReport: true)).written == ["gen/report.txt"])
        #expect(try project.read("gen/report.txt") == "length 3\n")
        // No longer published: removed, unless edited by hand since.
        #expect(try await project.build(chainGraph(log: log)).removed == ["gen/report.txt"])
        #expect(!project.fileSystem.exists(project.root + "/gen/report.txt"))
    }

    @Test func statusReportsStaleEditedAndOutdated() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        #expect(try !project.engine.status(chainGraph(log: log, publishReport: true)).isClean)
        try await project.build(chainGraph(log: log, publishReport: true))
        #expect(try project.engine.status(chainGraph(log: log, publishReport: true)) == StatusReport())

        try project.write("gen/report.txt", "edited")
        #expect(try project.engine.status(chainGraph(log: log, publishReport: true)).edited == ["gen/report.txt"])
        try await project.build(chainGraph(log: log, publishReport: true))

        try project.write("source.txt", "abcd")
        #expect(try project.engine.status(chainGraph(log: log, publishReport: true)).stale.map(\.id) == ["upper", "count", "report"])
        try await project.build(chainGraph(log: log, publishReport: true))

        let lock = try project.fileSystem.read(project.root + "/lutbuild.lock")
        try project.fileSystem.remove(project.root + "/lutbuild.lock")
        #expect(try project.engine.status(chainGraph(log: log, publishReport: true)).lockOutdated)
        try project.fileSystem.writeAtomically(project.root + "/lutbuild.lock", lock)

        // A fresh clone: no cache, but sources and outputs match the committed lock file.
        try project.fileSystem.remove(project.root + "/.lutbuild")
        let fresh = try project.engine.status(chainGraph(log: log, publishReport: true))
        #expect(fresh.isClean)
        #expect(fresh.rerun.map(\.id) == ["upper", "count", "report"], "a build runs them: no local record")
    }
}
