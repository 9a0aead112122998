import Foundation
import Synchronization
import NginxCacheServer
import Testing
import TestSupport

/// `lutbuild build` with a remote cache on a real nginx (WebDAV): a fresh
/// checkout reuses what another uploaded, per partition; a server that is
/// down, failing, slow, full or hands out a damaged object costs one warning.
@Suite(.serialized) struct RemoteCacheBuildTests {
    static let quick = ["--no-verify", "--no-estimate"]

    /// Every partition and the training log of the tiny project.
    static let allTraining =
        (units("train", layer: 0, count: 8) + units("train", layer: 1, count: 6)
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
            (
                "http://127.0.0.1:\(try NginxCacheServer.freePort())/", [:],
                "cannot be used (connection refused); building locally without it"
            ),
            (server.failingURL, [:], "cannot be used (GET answered HTTP 500: server error); building locally without it"),
            (
                "http://127.0.0.1:\(silent.port)/", ["LUTBUILD_REMOTE_CACHE_TIMEOUT": "1"],
                "cannot be used (no answer within 1 s); building locally without it"
            ),
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
        let log = second.scratch.path(".lutbuild/cache/remote-cache.log").path
        #expect(
            run.messages("warning") == [
                "remote cache \(server.url): 1 object did not match its digest; built locally (first: cas/\(digest) does not"
                    + " match its digest (\(bytes.count) bytes, expected \(bytes.count))); details in \(log)"
            ])
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
        let fromNetrc = try reader.build(
            Self.quick + ["--remote-cache", server.privateURL, "--remote-cache-mode", "read"],
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

    // MARK: - A server that misbehaves costs at most one line per cause, and never a hang

    @Test func anAuthenticationChallengeCostsOneWarningAndNoWait() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let project = try TinyProject()
        defer { project.remove() }
        let started = Date()
        let run = try project.build(Self.quick + ["--remote-cache", server.basicAuthURL], environment: ["HOME": project.url.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.messages("warning") == [
                "remote cache \(server.basicAuthURL) cannot be used (GET answered HTTP 401: the server asks for credentials;"
                    + " none or wrong ones were given for 127.0.0.1 (none were found in --remote-header,"
                    + " LUTBUILD_REMOTE_CACHE_HEADER, the URL or ~/.netrc)); building locally without it"
            ])
        #expect(run.ran(prefix: "train/") == Self.allTraining)
        #expect(Date().timeIntervalSince(started) < 120)
    }

    @Test func oneTruncatedDownloadIsAMissForOneStepOnly() throws {
        let server = try ScriptedCacheServer(lifetime: .seconds(300))
        defer { server.stop() }
        let remote = ["--remote-cache", server.url]
        let first = try TinyProject()
        defer { first.remove() }
        #expect(try first.build(Self.quick + remote).status == 0)
        server.truncateNextDownloads(1)
        let second = try TinyProject()
        defer { second.remove() }
        let run = try second.build(Self.quick + remote)
        #expect(run.status == 0, "\(run.stderr)")
        let warnings = run.messages("warning")
        #expect(
            warnings.count == 1
                && warnings.first?.hasPrefix("remote cache \(server.url): 1 download failed; built locally (first: cas/") == true,
            "\(warnings)")
        // The step whose object broke off ran (with the training log it writes); everything else came from the server.
        #expect(run.ran.count <= 3, "\(run.ran)")
        #expect(run.summary("fetched") ?? 0 > 30)
    }

    @Test func aServerAnsweringGarbageGivesOneLineWithTheDetailsInTheLog() throws {
        let server = try ScriptedCacheServer(.garbage, lifetime: .seconds(300))
        defer { server.stop() }
        let project = try TinyProject()
        defer { project.remove() }
        let run = try project.build(Self.quick + ["--remote-cache", server.url])
        #expect(run.status == 0, "\(run.stderr)")
        let log = project.scratch.path(".lutbuild/cache/remote-cache.log").path
        let lookups = server.requests.filter { $0.hasPrefix("GET /ac/") }.count
        #expect(lookups == run.ran.count)
        #expect(run.messages("warning").count == 1)
        #expect(
            run.messages("warning").first?.hasPrefix(
                "remote cache \(server.url): \(lookups) action results were not lutbuild's for their step; built locally (first: ac/")
                == true)
        #expect(run.messages("warning").first?.hasSuffix("; details in \(log)") == true)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == lookups + 1)
    }

    @Test func slowUploadsDrainWithABoundedWaitThatIsPrinted() throws {
        let server = try ScriptedCacheServer(.slowUploads(delay: .seconds(1)), lifetime: .seconds(300))
        defer { server.stop() }
        let local = try TinyProject()
        defer { local.remove() }
        let localStarted = Date()
        #expect(try local.build(Self.quick + ["--remote-cache", ""]).status == 0)
        let localSeconds = Date().timeIntervalSince(localStarted)
        let project = try TinyProject()
        defer { project.remove() }
        let started = Date()
        let run = try project.build(Self.quick + ["--remote-cache", server.url], environment: ["LUTBUILD_REMOTE_CACHE_TIMEOUT": "2"])
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr)")
        // The steps go at local speed; only the drain (at most 6 s) comes on top. Behind the uploads it took about 30 s.
        #expect(seconds < localSeconds + 6 + 6, "\(seconds) s against \(localSeconds) s locally")
        let notes = run.events.filter { $0["event"] as? String == "progress" && $0["step"] as? String == "remote cache" }
            .compactMap { $0["message"] as? String }
        #expect(notes.count == 1 && notes.first?.hasPrefix("waiting up to 6 s for ") == true, "\(notes)")
        #expect(notes.first?.hasSuffix(" uploads to \(server.url)") == true)
        #expect(
            run.messages("warning").allSatisfy { $0.contains("did not finish within 6 s and were abandoned") }, "\(run.messages("warning"))"
        )
    }

    // MARK: - TLS, modes, headers

    @Test func aPrivateCAFromTheProjectFileOrSSLCertFileAndAClientCertificate() throws {
        let server = try NginxCacheServer(tls: true)
        defer { server.stop() }
        let certificates = try #require(server.certificates)
        let writer = try TinyProject()
        defer { writer.remove() }
        try FileManager.default.copyItem(at: certificates.authority, to: writer.scratch.path("team-ca.pem"))
        try writer.append("\n[cache]\nremote = \"\(server.tlsURL())\"\ntls_ca_file = \"team-ca.pem\"\n")
        let written = try writer.build(Self.quick)
        #expect(written.status == 0 && written.messages("warning").isEmpty, "\(written.stderr)")
        #expect(written.summary("uploaded") == written.ran.count)

        let reader = try TinyProject()
        defer { reader.remove() }
        let read = try reader.build(
            Self.quick + ["--remote-cache", server.tlsURL()], environment: ["SSL_CERT_FILE": certificates.authority.path])
        #expect(read.status == 0 && read.ran.isEmpty && read.messages("warning").isEmpty, "\(read.stderr)")

        let untrusted = try TinyProject()
        defer { untrusted.remove() }
        try untrusted.edit("{ partitions = 6 }", "{ partitions = 6, width = 8 }")
        let refused = try untrusted.build(Self.quick + ["--remote-cache", server.tlsURL()])
        #expect(
            refused.status == 0 && refused.messages("warning").first?.contains("TLS: the server's certificate is not trusted") == true,
            "\(refused.messages("warning"))")

        // A fresh checkout runs every step, so it has results to upload to /mtls/.
        let withCertificate = try TinyProject()
        defer { withCertificate.remove() }
        let client = try withCertificate.build(
            Self.quick + [
                "--remote-cache", server.tlsURL("mtls"), "--remote-cache-ca", certificates.authority.path,
                "--remote-cache-client-cert", certificates.clientCertificate.path, "--remote-cache-client-key", certificates.clientKey.path,
            ])
        #expect(client.status == 0 && client.messages("warning").isEmpty, "\(client.stderr)")
        #expect(!server.entries("cas", location: "mtls").isEmpty)
    }

    @Test func theModeComesFromTheFlagTheEnvironmentOrTheProjectFile() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let project = try TinyProject()
        defer { project.remove() }
        try project.append("\n[cache]\nremote = \"\(server.url)\"\nmode = \"read-only\"\n")
        let fromFile = try project.build(Self.quick)
        #expect(fromFile.status == 0 && fromFile.summary("uploaded") == 0, "\(fromFile.stderr)")
        #expect(server.entries("ac").isEmpty)

        try project.edit("mode = \"read-only\"", "mode = \"read-write\"")
        try project.edit("{ partitions = 6 }", "{ partitions = 6, width = 8 }")
        let fromEnvironment = try project.build(Self.quick, environment: ["LUTBUILD_REMOTE_CACHE_MODE": "read-only"])
        #expect(fromEnvironment.status == 0 && fromEnvironment.summary("uploaded") == 0, "\(fromEnvironment.stderr)")
        #expect(server.entries("ac").isEmpty)

        let bad = try project.build(Self.quick, environment: ["LUTBUILD_REMOTE_CACHE_MODE": "readonly"])
        #expect(bad.status == 64)
        #expect(
            bad.stderr.contains("error: LUTBUILD_REMOTE_CACHE_MODE = readonly: expected \"read-only\" or \"read-write\""), "\(bad.stderr)")

        try project.edit("mode = \"read-write\"", "mode = \"sometimes\"")
        let badFile = try project.build(Self.quick)
        #expect(badFile.status == 2)
        #expect(badFile.stderr.contains("lutbuild.toml:"), "\(badFile.stderr)")
        #expect(badFile.stderr.contains("cache.mode: expected \"read-only\" or \"read-write\", found \"sometimes\""), "\(badFile.stderr)")
    }

    @Test func sweepsUseTheRemoteCacheInItsMode() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let project = try TinyProject()
        defer { project.remove() }
        let grid = ["--set", "rtl.registers=\"every-layer\",none", "--no-estimate"]
        let readOnly = try LutbuildBinary.run(
            ["sweep"] + grid + ["--remote-cache", server.url, "--remote-cache-mode", "read-only"], in: project.url)
        #expect(readOnly.status == 0, "\(readOnly.stderr)")
        #expect(server.entries("ac").isEmpty)
        try FileManager.default.removeItem(at: project.scratch.path("gen/sweep"))
        try FileManager.default.removeItem(at: project.scratch.path(".lutbuild"))
        let readWrite = try LutbuildBinary.run(["sweep"] + grid + ["--remote-cache", server.url], in: project.url)
        #expect(readWrite.status == 0, "\(readWrite.stderr)")
        #expect(!server.entries("ac").isEmpty)
    }

    @Test func repeatableHeadersAreSentAndCheckedForForm() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let project = try TinyProject()
        defer { project.remove() }
        let token = Data("\(NginxCacheServer.user):\(NginxCacheServer.password)".utf8).base64EncodedString()
        let run = try project.build(
            Self.quick + [
                "--remote-cache", server.privateURL, "--remote-header", "X-Team: fpga",
                "--remote-header", "Authorization: Basic \(token)",
            ])
        #expect(run.status == 0 && run.messages("warning").isEmpty, "\(run.stderr)")
        #expect(run.summary("uploaded") == run.ran.count)
        #expect(!run.stderr.contains(token))

        let bad = try project.build(Self.quick + ["--remote-cache", server.url, "--remote-header", "no colon here"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--remote-header must be one header, \"Name: value\""), "\(bad.stderr)")
    }

    /// Runs `lutbuild watch arguments…` until its first build ends, then stops it.
    static func watchOnce(_ project: TinyProject, _ arguments: [String]) throws {
        let binary = try #require(LutbuildBinary.url)
        let watch = try RunningProcess(binary, ["watch", "--no-verify", "--no-estimate"] + arguments, in: project.url)
        defer { watch.terminateIfRunning() }
        let first = watch.waitForLine(within: 300) { $0.contains("build #1") && ($0.contains(" ok") || $0.contains("fail")) }
        #expect(first?.contains("build #1 ok") == true, "output so far:\n\(watch.output)")
        watch.interrupt()
        #expect(watch.waitForExit(within: 60) == 130)
    }

    @Test func watchBuildsInTheProjectFilesModeOrItsFlags() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let project = try TinyProject()
        defer { project.remove() }
        try project.append("\n[cache]\nremote = \"\(server.url)\"\nmode = \"read-only\"\n")
        try Self.watchOnce(project, [])
        #expect(server.entries("ac").isEmpty)

        // The flags reach the builds watch starts.
        let other = try TinyProject()
        defer { other.remove() }
        try Self.watchOnce(other, ["--remote-cache", server.url, "--remote-cache-mode", "read-only"])
        #expect(server.entries("ac").isEmpty)
        let fresh = try TinyProject()
        defer { fresh.remove() }
        try Self.watchOnce(fresh, ["--remote-cache", server.url])
        #expect(!server.entries("ac").isEmpty)
    }
}
