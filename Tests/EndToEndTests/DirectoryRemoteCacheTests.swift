import Foundation
import Testing
import TestSupport

/// `[cache] remote = "file:///…"`: a directory on a shared filesystem as the
/// remote cache, with the HTTP cache's rules (whole entries, verified reads).
@Suite struct DirectoryRemoteCacheTests {
    static let quick = ["--no-verify", "--no-estimate"]

    @Test func aDirectoryIsSharedAndEveryReadIsVerified() throws {
        let shared = try Scratch()
        defer { shared.remove() }
        let url = "file://" + shared.path("lutbuild-cache").path
        let first = try TinyProject()
        defer { first.remove() }
        try first.append("\n[cache]\nremote = \"\(url)\"\n")
        let built = try first.build(Self.quick)
        #expect(built.status == 0, "\(built.stderr)")
        #expect((built.summary("uploaded") ?? 0) > 0)
        let stored = try FileManager.default.contentsOfDirectory(atPath: shared.path("lutbuild-cache/cas").path)
        #expect(!stored.isEmpty && !stored.contains { $0.hasPrefix(".tmp-") }, "\(stored)")

        // A fresh checkout runs nothing: every step is fetched.
        let second = try TinyProject()
        defer { second.remove() }
        let fetched = try second.build(Self.quick + ["--remote-cache", url])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.ran.isEmpty, "\(fetched.ran)")
        #expect((fetched.summary("fetched") ?? 0) > 0)
        #expect(try second.scratch.read("lutbuild.lock") == first.scratch.read("lutbuild.lock"))

        // A damaged object is a miss with a warning, never an input: the step runs, to the same bytes.
        let lock = try #require(try JSONSerialization.jsonObject(with: Data(first.scratch.read("lutbuild.lock").utf8)) as? [String: Any])
        let steps = try #require(lock["steps"] as? [String: [String: Any]])
        let digest = try #require((steps["train/layer2/p3"]?["outputs"] as? [String: String])?["layer2/p3"])
        let object = shared.path("lutbuild-cache/cas/\(digest)")
        var bytes = try Data(contentsOf: object)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: object)
        let third = try TinyProject()
        defer { third.remove() }
        let repaired = try third.build(Self.quick + ["--remote-cache", url])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(repaired.messages("warning").first?.contains("did not match its digest") == true, "\(repaired.messages("warning"))")
        #expect(!repaired.ran(prefix: "train/").isEmpty)
        #expect(try third.scratch.read("lutbuild.lock") == first.scratch.read("lutbuild.lock"))
    }

    /// A file URL must name a local absolute directory: exit code 64 on the command line.
    @Test func aBadFileURLIsAUsageMistake() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let run = try LutbuildBinary.run(["build", "--remote-cache", "file://nas/cache"], in: project.url)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("a file URL names a directory on this machine, not on nas"), "\(run.stderr)")
    }
}
