import BuildGraph
import Foundation
import Testing

@Suite struct StoreAndLockTests {
    @Test func lockFileRoundTripsAndIsDeterministic() async throws {
        var locks: [Data] = []
        for _ in 0..<2 {
            let project = try MemoryProject()
            try project.write("source.txt", "abc")
            project.clock.advance(nanoseconds: 12_345)
            try await project.build(chainGraph(log: RunLog(), publishReport: true))
            locks.append(try project.fileSystem.read(project.root + "/lutbuild.lock"))
            let decoded = try #require(try project.engine.lockFile())
            #expect(decoded.encoded() == locks.last)
            #expect(decoded.steps.keys.sorted() == ["count", "report", "upper"])
            #expect(decoded.published["gen/report.txt"] == Digest.of("length 3\n"))
            #expect(decoded.sources["source.txt"] == Digest.of("abc"))
        }
        #expect(locks[0] == locks[1])
        #expect(!text(locks[0]).contains("/project"), "paths in the lock file are relative")
    }

    @Test func lockFileErrorsNameTheFile() throws {
        #expect(
            throws: BuildError.corruptFile(
                path: "x/lutbuild.lock", line: 1, expected: "a JSON object (delete the file and rebuild to regenerate it)")
        ) {
            try LockFile.decode(Data("nope".utf8), path: "x/lutbuild.lock")
        }
        let escaped = LockFile(published: ["a \"q\"\n": Digest.of("")])
        #expect(try LockFile.decode(escaped.encoded(), path: "l") == escaped)
    }

    @Test func corruptObjectIsDetectedDeletedAndRebuilt() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: log))
        // Corrupt every stored object, then make `count` read `upper`'s output again.
        for path in try project.objectPaths() { try project.fileSystem.overwrite(path, Data("garbage".utf8)) }
        let summary = try await project.build(chainGraph(log: log), options: BuildOptions(concurrency: 2, force: { $0 == "count" }))
        #expect(summary.corruptObjects == [Digest.of("ABC")])
        // The first corrupt object makes the build check the whole store once, so
        // `report`, whose stored output is corrupt too, reruns in the same build
        // instead of leaving a bad object behind its record.
        #expect(summary.ran == ["upper", "count", "report"])
        #expect(try project.objectPaths().allSatisfy { text(try project.fileSystem.read($0)) != "garbage" })
        let upperObject =
            project.root + "/.lutbuild/cache/objects/" + Digest.of("ABC").hex.prefix(2) + "/" + Digest.of("ABC").hex.dropFirst(2)
        #expect(text(try project.fileSystem.read(upperObject)) == "ABC")
    }

    @Test func statFastPathSkipsRehashUntilStatChanges() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: log))
        // Same content, same stat: nothing rehashed. A rewrite with the same bytes changes mtime → rehash, no rerun.
        let statCache = project.root + "/.lutbuild/stat-cache"
        let before = try project.fileSystem.read(statCache)
        try await project.build(chainGraph(log: log))
        #expect(try project.fileSystem.read(statCache) == before, "an unchanged stat does not rehash or rewrite")
        try project.write("source.txt", "abc")
        let summary = try await project.build(chainGraph(log: log))
        #expect(summary.ran.isEmpty)
        #expect(try project.fileSystem.read(statCache) != before, "a changed mtime rehashes")
    }

    @Test func statFastPathTrustsTheStat() async throws {
        // The fast path really skips reading: content changed behind an identical stat goes unnoticed.
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: RunLog()))
        let stat = try #require(project.fileSystem.stat(project.root + "/source.txt"))
        try project.fileSystem.overwrite(project.root + "/source.txt", Data("xyz".utf8))
        project.fileSystem.setModificationTime(project.root + "/source.txt", nanoseconds: stat.mtimeNanoseconds)
        #expect(project.fileSystem.stat(project.root + "/source.txt") == stat)
        #expect(try await project.build(chainGraph(log: RunLog())).ran.isEmpty)
    }

    @Test func garbageCollectionKeepsLockedAndRecentOutputs() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        for content in ["a", "bb", "ccc"] {
            try project.write("source.txt", content)
            try await project.build(chainGraph(log: log))
        }
        let before = try project.objectPaths().count
        let report = try project.engine.collectGarbage(keepBuilds: 1)
        #expect(report.removedObjects > 0)
        #expect(try project.objectPaths().count == before - report.removedObjects)
        #expect(try await project.build(chainGraph(log: log)).ran.isEmpty, "the current build survives gc")
        try project.write("source.txt", "a")
        #expect(try await project.build(chainGraph(log: log)).ran == ["upper", "count", "report"], "collected results are rebuilt")
    }

    @Test func cleanRemovesPublishedFilesAndCache() async throws {
        let project = try MemoryProject()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: RunLog(), publishReport: true))
        #expect(try project.engine.clean() == ["gen/report.txt"])
        #expect(!project.fileSystem.exists(project.root + "/.lutbuild/cache"))
        #expect(project.fileSystem.exists(project.root + "/lutbuild.lock"))
        #expect(try await project.build(chainGraph(log: RunLog(), publishReport: true)).ran.count == 3)
    }
}
