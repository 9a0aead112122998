import Foundation
import Testing

/// The build's promise with real training and real tools: an incremental
/// build, a narrower command or a damaged cache gives exactly the bytes a
/// clean build gives, and `--audit` confirms it.
@Suite struct BuildTruthTests {
    /// Every file under `gen/` and the lock file, by project-relative path.
    static func generated(_ project: TinyProject) throws -> [String: Data] {
        var files: [String: Data] = ["lutbuild.lock": try Data(contentsOf: project.scratch.path("lutbuild.lock"))]
        let root = project.scratch.path("gen").standardizedFileURL
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            files["gen" + url.standardizedFileURL.path.dropFirst(root.path.count)] = try Data(contentsOf: url)
        }
        return files
    }

    static func differing(_ built: [String: Data], _ expected: [String: Data]) -> [String] {
        Set(built.keys).union(expected.keys).sorted().filter { built[$0] != expected[$0] }
    }

    /// The repro: `bits = 2` → `bits = 1` after a build. With the old keys the
    /// quantizers kept the 2-bit run's scales (10.03% and 3,635 LUTs against 14.21% and 2,467).
    @Test func editingBitsGivesTheCleanBuildsBytes() throws {
        let project = try TinyProject(epochs: 2)
        defer { project.remove() }
        let quick = ["--no-verify", "--simulator", "iverilog"]
        #expect(try project.build(quick).status == 0)
        try project.edit("\nbits = 2 ", "\nbits = 1 ")
        let incremental = try project.build(quick)
        #expect(incremental.status == 0, "\(incremental.stderr)")

        let clean = try TinyProject(epochs: 2)
        defer { clean.remove() }
        try clean.edit("\nbits = 2 ", "\nbits = 1 ")
        #expect(try clean.build(quick).status == 0)
        #expect(Self.differing(try Self.generated(project), try Self.generated(clean)) == [])
    }

    /// `lutbuild verify` and `lutbuild estimate` select targets in the project's
    /// one graph: after a build they change no other output and no other lock entry.
    @Test func narrowerCommandsLeaveEverythingElseAsItWas() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build(["--simulator", "iverilog"]).status == 0)
        let built = try Self.generated(project)
        #expect(built["gen/reports/estimate.json"] != nil && built["gen/reports/index.html"] != nil)

        let verify = try LutbuildBinary.run(["verify", "--simulator", "iverilog"], in: project.url)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(Self.differing(try Self.generated(project), built) == [])
        let estimate = try LutbuildBinary.run(["estimate"], in: project.url)
        #expect(estimate.status == 0, "\(estimate.stderr)")
        #expect(Self.differing(try Self.generated(project), built) == [])
        #expect(try LutbuildBinary.run(["status", "--check", "--simulator", "iverilog"], in: project.url).status == 0)

        // The simulator is part of verify's key: asking for the other one runs it (it used to reuse iverilog's report).
        let verilator = try LutbuildBinary.run(["verify", "--simulator", "verilator", "--json"], in: project.url)
        #expect(verilator.status == 0, "\(verilator.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(verilator.stdout.utf8)) as? [String: Any]
        #expect(report?["simulator"] as? String == "verilator")
        // Only verify's report and its lock entry changed; the page reading it is now stale, not deleted.
        #expect(Self.differing(try Self.generated(project), built) == ["gen/reports/verify.json", "lutbuild.lock"])
    }

    /// A random part of the local cache lost, and `gen/` deleted: one build
    /// gives the first build's bytes again (training, deterministic, reruns as a whole).
    @Test func losingPartOfTheCacheChangesNoByte() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build(["--simulator", "iverilog"]).status == 0)
        let built = try Self.generated(project)
        let objects = project.scratch.path(".lutbuild/cache/objects")
        let files = (FileManager.default.enumerator(at: objects, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
        var random = SystemRandomNumberGenerator()
        var lost = 0
        for (index, file) in files.enumerated() where index % 3 == 0 || Int.random(in: 0..<4, using: &random) == 0 {
            try FileManager.default.removeItem(at: file)
            lost += 1
        }
        #expect(lost > 10)
        try FileManager.default.removeItem(at: project.scratch.path("gen"))
        let rebuild = try project.build(["--simulator", "iverilog"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(Self.differing(try Self.generated(project), built) == [])
    }

    /// `--audit` runs every reused step again on the real tools: the template's keys determine their outputs.
    @Test func auditOfAFullBuildFindsNothing() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build(["--simulator", "iverilog"]).status == 0)
        let built = try Self.generated(project)
        let audit = try LutbuildBinary.run(["build", "--simulator", "iverilog", "--audit"], in: project.url)
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stdout.contains("  audit: ran ") && audit.stdout.contains("every output equals the stored one"), "\(audit.stdout)")
        #expect(Self.differing(try Self.generated(project), built) == [])
        let bad = try LutbuildBinary.run(["build", "--audit=1.5"], in: project.url)
        #expect(bad.status == 64, "\(bad.stderr)")
    }
}
