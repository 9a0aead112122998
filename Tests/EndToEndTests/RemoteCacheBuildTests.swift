import Foundation
import Synchronization
import NginxCacheServer
import Testing

/// `lutbuild build` with a remote cache on a real nginx (WebDAV): a fresh
/// checkout reuses what another uploaded, per partition; a server that is
/// down, failing, slow, full or hands out a damaged object costs one warning.
@Suite(.serialized) struct RemoteCacheBuildTests {
    static let quick = ["--no-verify", "--no-estimate"]

    /// Every partition and the training log of the tiny project.
    static let allTraining = (units("train", layer: 0, count: 8) + units("train", layer: 1, count: 6)
        + units("train", layer: 2, count: 10) + ["train/quantizers", "train/training.csv", "train/training.json"]).sorted()

    @Test func freshCheckoutTrainsNothingAndAChangedLayerTrainsOnlyIt() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let remote = ["--remote-cache", server.url]
        let first = try TinyProject()
        defer { first.remove() }
        let built = try first.build(Self.quick + remote)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.ran(prefix: "train/") == Self.allTraining)
        #expect(built.summary("uploaded") == built.ran.count)
        #expect(built.messages("warning").isEmpty)
        #expect(server.entries("ac").count == built.ran.count)

        let second = try TinyProject()
        defer { second.remove() }
        let reused = try second.build(Self.quick + remote)
        #expect(reused.status == 0, "\(reused.stderr)")
        #expect(reused.ran.isEmpty)
        #expect(reused.summary("trained_partitions") == 0)
        #expect(reused.summary("fetched") == built.ran.count)
        #expect(try second.scratch.read("lutbuild.lock") == first.scratch.read("lutbuild.lock"))
        #expect(try second.scratch.read("gen/rtl/digits_lut.v") == first.scratch.read("gen/rtl/digits_lut.v"))

        // Another checkout changed layer 1: the network retrains as a whole (nothing of the old
        // network stands in for it), and what does not depend on training comes from the server.
        let third = try TinyProject()
        defer { third.remove() }
        try third.edit("{ partitions = 6 }", "{ partitions = 6, width = 8 }")
        let changed = try third.build(Self.quick + remote)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.ran(prefix: "train/") == Self.allTraining)
        #expect(changed.summary("fetched") ?? 0 > 0)
        // Both points, each built after the other uploaded, equal their own clean builds (no cache).
        let cleanChanged = try TinyProject()
        defer { cleanChanged.remove() }
        try cleanChanged.edit("{ partitions = 6 }", "{ partitions = 6, width = 8 }")
        #expect(try cleanChanged.build(Self.quick).status == 0)
        #expect(try third.scratch.read("lutbuild.lock") == cleanChanged.scratch.read("lutbuild.lock"))
        let fourth = try TinyProject()
        defer { fourth.remove() }
        #expect(try fourth.build(Self.quick + remote).ran.isEmpty)
        #expect(try fourth.scratch.read("lutbuild.lock") == first.scratch.read("lutbuild.lock"))
    }

    @Test func downFailingSlowOrFullServersCostOneWarning() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let silent = try BoundSocket(listening: true)
        defer { silent.close() }
        let cases: [(url: String, environment: [String: String], warning: String)] = [
            ("http://127.0.0.1:\(try NginxCacheServer.freePort())/", [:], "cannot be used (connection refused); building locally without it"),
            (server.failingURL, [:], "cannot be used (GET answered HTTP 500: server error); building locally without it"),
            ("http://127.0.0.1:\(silent.port)/", ["LUTBUILD_REMOTE_CACHE_TIMEOUT": "1"], "cannot be used (no answer within 1 s); building locally without it"),
            (server.fullURL, [:], "refused an upload (PUT answered HTTP 507: the server is full); this build uploads nothing more"),
        ]
        for (url, environment, warning) in cases {
            let project = try TinyProject()
            defer { project.remove() }
            let run = try project.build(Self.quick + ["--remote-cache", url], environment: environment)
            #expect(run.status == 0, "\(url): \(run.stderr)")
            #expect(run.ran(prefix: "train/") == Self.allTraining)
            #expect(run.messages("warning") == ["remote cache \(url) \(warning)"])
        }
    }

    @Test func damagedObjectOnTheServerIsRebuiltLocally() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let remote = ["--remote-cache", server.url]
        let first = try TinyProject()
        defer { first.remove() }
        #expect(try first.build(Self.quick + remote).status == 0)
        let lock = try #require(try JSONSerialization.jsonObject(with: Data(first.scratch.read("lutbuild.lock").utf8)) as? [String: Any])
        let steps = try #require(lock["steps"] as? [String: [String: Any]])
        let outputs = try #require(steps["train/layer2/p3"]?["outputs"] as? [String: String])
        let digest = try #require(outputs["layer2/p3"])
        let object = server.file("cache", "cas", digest)
        var bytes = try Data(contentsOf: object)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: object)

        let second = try TinyProject()
        defer { second.remove() }
        let run = try second.build(Self.quick + remote)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.messages("warning") == ["remote cache \(server.url): the object cas/\(digest) does not match its digest (\(bytes.count) bytes, expected \(bytes.count)); ignored, the step is built locally"])
        // A damaged member is not trained alone with the others from the server (that gave other
        // weights under CI's key): the network trains as a whole, to the same bytes.
        #expect(run.ran(prefix: "train/") == Self.allTraining)
        #expect(try second.scratch.read("lutbuild.lock") == first.scratch.read("lutbuild.lock"))
        // The local run uploaded its result for the same key: the next checkout finds all of it.
        let third = try TinyProject()
        defer { third.remove() }
        let healed = try third.build(Self.quick + remote)
        #expect(healed.status == 0 && healed.ran.isEmpty && healed.messages("warning").isEmpty)
    }

    /// Whatever part of the server's entries is damaged or gone, a fresh
    /// checkout ends with exactly the bytes of the build that uploaded them.
    @Test func aPartlyDamagedServerChangesNoByte() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let remote = ["--remote-cache", server.url]
        let first = try TinyProject()
        defer { first.remove() }
        #expect(try first.build(Self.quick + remote).status == 0)
        var damaged = 0
        for (index, hex) in server.entries("cas").sorted().enumerated() where index % 3 == 0 {
            let object = server.file("cache", "cas", hex)
            var bytes = try Data(contentsOf: object)
            guard !bytes.isEmpty else { continue }
            bytes[bytes.count / 2] ^= 0x5A
            try bytes.write(to: object)
            damaged += 1
        }
        for (index, hex) in server.entries("ac").sorted().enumerated() where index % 5 == 1 {
            try FileManager.default.removeItem(at: server.file("cache", "ac", hex))
            damaged += 1
        }
        #expect(damaged > 10)
        let second = try TinyProject()
        defer { second.remove() }
        let run = try second.build(Self.quick + remote)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.ran.isEmpty)
        #expect(try second.scratch.read("lutbuild.lock") == first.scratch.read("lutbuild.lock"))
        #expect(try second.scratch.read("gen/rtl/digits_lut.v") == first.scratch.read("gen/rtl/digits_lut.v"))
    }

    @Test func credentialsNeverReachOutputOrFiles() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let secret = NginxCacheServer.password
        let withPassword = server.privateURL.replacingOccurrences(of: "http://", with: "http://\(NginxCacheServer.user):\(secret)@")
        let project = try TinyProject()
        defer { project.remove() }
        let run = try project.build(Self.quick + ["--remote-cache", withPassword])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.messages("warning").isEmpty)
        #expect(run.summary("uploaded") ?? 0 > 0)
        // A failing server makes the build print the URL: without the password.
        let failing = server.failingURL.replacingOccurrences(of: "http://", with: "http://\(NginxCacheServer.user):\(secret)@")
        try project.edit("{ partitions = 6 }", "{ partitions = 6, width = 8 }")
        let warned = try project.build(Self.quick + ["--remote-cache", failing])
        #expect(warned.status == 0 && warned.messages("warning").count == 1)
        for output in [run.stderr, warned.stderr] + [run, warned].flatMap({ $0.events.map { "\($0)" } }) {
            #expect(!output.contains(secret))
        }
        let files = FileManager.default.enumerator(at: project.url, includingPropertiesForKeys: nil)!
        for case let file as URL in files where !file.hasDirectoryPath {
            #expect(!(try Data(contentsOf: file)).contains(Data(secret.utf8)), "\(file.path)")
        }

        // The same server through ~/.netrc.
        let home = try Scratch()
        defer { home.remove() }
        try home.write(".netrc", "machine 127.0.0.1 login \(NginxCacheServer.user) password \(secret)\n")
        let reader = try TinyProject()
        defer { reader.remove() }
        let fromNetrc = try reader.build(Self.quick + ["--remote-cache", server.privateURL, "--remote-cache-mode", "read"],
                                         environment: ["HOME": home.url.path])
        #expect(fromNetrc.status == 0 && fromNetrc.ran.isEmpty && fromNetrc.summary("uploaded") == 0)
    }

    @Test func concurrentCheckoutsShareOneServer() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let environment = ["LUTBUILD_REMOTE_CACHE": server.url]
        let projects = try (0..<2).map { _ in try TinyProject() }
        defer { projects.forEach { $0.remove() } }
        // (exit status, warnings) of each build, run at the same time.
        let outcomes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let run = try? projects[index].build(Self.quick, environment: environment)
            let outcome = run.map { "\($0.status) \($0.messages("warning"))" } ?? "did not run"
            outcomes.withLock { $0.append(outcome) }
        }
        #expect(outcomes.withLock { $0 } == ["0 []", "0 []"])
        let later = try TinyProject()
        defer { later.remove() }
        let reused = try later.build(Self.quick, environment: environment)
        #expect(reused.status == 0 && reused.ran.isEmpty)
    }
}
