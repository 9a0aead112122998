@testable import BuildGraph
import Foundation
import RemoteCacheAddress
import Synchronization
import Testing

/// The engine's use of a remote cache, in memory: a second checkout reuses
/// what the first uploaded, per batch member; whatever the server does wrong
/// (fails, stalls, hands out damaged bytes) costs a warning, never the build.
@Suite struct RemoteCacheTests {
    /// Build events of one build, kept for assertions, with when each came.
    final class Events: Sendable {
        private let events = Mutex<[(BuildEvent, ContinuousClock.Instant)]>([])
        func record(_ event: BuildEvent) { events.withLock { $0.append((event, .now)) } }
        var warnings: [String] {
            events.withLock { $0 }.compactMap { if case .warning(let message) = $0.0 { message } else { nil } }
        }
        var notes: [String] {
            events.withLock { $0 }.compactMap { if case .progress(_, let message) = $0.0 { message } else { nil } }
        }
        /// When the last step finished (ran or was cached).
        var lastStep: ContinuousClock.Instant? {
            events.withLock { $0 }.last {
                switch $0.0 {
                case .finished, .cached: true
                default: false
                }
            }?.1
        }
    }

    @discardableResult
    static func build(
        _ project: MemoryProject, _ graph: StepGraph, remote: any RemoteCache,
        mode: RemoteCacheMode = .readWrite, uploadWait: Duration = .seconds(30), lookups: Int = 8,
        force: @escaping @Sendable (String) -> Bool = { _ in false },
        events: Events = Events()
    ) async throws -> BuildSummary {
        project.clock.advance()
        let settings = RemoteCacheSettings(cache: remote, mode: mode, uploadWait: uploadWait, concurrency: lookups)
        return try await project.engine.build(
            graph, options: BuildOptions(concurrency: 2, force: force, remoteCache: settings),
            events: events.record)
    }

    /// Two checkouts of the same sources: the chain and a batch of four members.
    static func checkout(own: [String] = ["8", "8", "8", "8"], log: RunLog) throws -> (MemoryProject, StepGraph) {
        let project = try MemoryProject()
        try project.write("source.txt", "hello")
        try project.write("data.txt", "d")
        var graph = try chainGraph(log: log, publishReport: true)
        try graph.add(BatchStepTests.batch(shared: "adam", own: own, log: log))
        return (project, graph)
    }

    @Test func secondCheckoutRunsNothing() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        let built = try await Self.build(first, graph, remote: remote)
        #expect(built.ran.count == 7 && built.fetched.isEmpty && built.uploaded == 7)
        #expect(remote.paths.filter { $0.hasPrefix("ac/") }.count == 7)

        let (second, secondGraph) = try Self.checkout(log: log)
        let events = Events()
        let reused = try await Self.build(second, secondGraph, remote: remote, events: events)
        #expect(reused.ran.isEmpty)
        #expect(reused.fetched.sorted() == ["count", "report", "train/p0", "train/p1", "train/p2", "train/p3", "upper"])
        #expect(reused.uploaded == 0)
        #expect(events.warnings.isEmpty)
        #expect(try second.read("gen/report.txt") == "length 5\n")
        #expect(try second.read("gen/p2.txt") == "d:adam:8")
        #expect(try second.read("lutbuild.lock") == first.read("lutbuild.lock"))
        // Now in the local cache: a third build asks the server nothing.
        let before = remote.requestCounts
        let again = try await Self.build(second, secondGraph, remote: remote)
        #expect(again.ran.isEmpty && again.fetched.isEmpty)
        #expect(remote.requestCounts.gets == before.gets)
    }

    @Test func changedMemberRerunsTheWholeBatchAndTheRestComesFromTheServer() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        try await Self.build(first, graph, remote: remote)
        let (second, changed) = try Self.checkout(own: ["8", "16", "8", "8"], log: log)
        let summary = try await Self.build(second, changed, remote: remote)
        #expect(summary.ran == ["train/p0", "train/p1", "train/p2", "train/p3"])
        #expect(log.all.last == "stale=p0,p1,p2,p3 fresh=")
        #expect(Set(summary.fetched) == ["upper", "count", "report"])
        #expect(try second.read("gen/p1.txt") == "d:adam:16")
        #expect(summary.uploaded == 4)
    }

    @Test func oneBrokenDownloadIsAMissForItsStepOnly() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        try await Self.build(first, graph, remote: remote)
        remote.fault = .failingDownloads(RemoteCacheError("the transfer broke off", kind: .badTransfer), count: 1)
        let (second, secondGraph) = try Self.checkout(log: log)
        let events = Events()
        let summary = try await Self.build(second, secondGraph, remote: remote, events: events)
        #expect(summary.ran.count == 1 && summary.fetched.count == 6)
        #expect(events.warnings.count == 1)
        #expect(events.warnings.first?.hasPrefix("remote cache memory: 1 download failed; built locally (first: ") == true)
        #expect(events.warnings.first?.hasSuffix("the transfer broke off); details in /project/.lutbuild/cache/remote-cache.log") == true)
    }

    @Test func repeatedServerFailuresStopTheCache() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        try await Self.build(first, graph, remote: remote)
        // Two failures, then a success: the count starts again.
        remote.fault = .failingDownloads(RemoteCacheError("HTTP 503"), count: RemoteCacheSession.failuresBeforeStopping - 1)
        let (second, secondGraph) = try Self.checkout(log: log)
        let recovered = try await Self.build(second, secondGraph, remote: remote, lookups: 1)
        #expect(recovered.fetched.count == 7 - (RemoteCacheSession.failuresBeforeStopping - 1))
        remote.fault = .failingDownloads(RemoteCacheError("HTTP 503"), count: RemoteCacheSession.failuresBeforeStopping)
        let (third, thirdGraph) = try Self.checkout(log: log)
        let events = Events()
        let stopped = try await Self.build(third, thirdGraph, remote: remote, lookups: 1, events: events)
        #expect(stopped.fetched.isEmpty && stopped.ran.count == 7)
        #expect(events.warnings == ["remote cache memory cannot be used (HTTP 503); building locally without it"])
    }

    @Test func problemsAreSummedUpPerCauseWithTheDetailsInALog() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        try await Self.build(first, graph, remote: remote)
        for path in remote.paths where path.hasPrefix("ac/") {
            remote[.actionCache, Digest(hex: String(path.dropFirst(3)))!] = Data("<html>garbage</html>".utf8)
        }
        let (second, secondGraph) = try Self.checkout(log: log)
        let events = Events()
        let summary = try await Self.build(second, secondGraph, remote: remote, events: events)
        #expect(summary.ran.count == 7)
        #expect(events.warnings.count == 1)
        #expect(
            events.warnings.first?.hasPrefix(
                "remote cache memory: 7 action results were not lutbuild's for their step; built locally (first: ac/") == true)
        let lines = try second.read(".lutbuild/cache/remote-cache.log").split(separator: "\n")
        #expect(lines.count == 1 + 7)
        #expect(
            lines.dropFirst().allSatisfy {
                $0.contains(" foreign-result: ac/") && $0.hasSuffix("(20 bytes) is not a lutbuild result for this step")
            })
    }

    @Test func slowUploadsNeverHoldUpLookups() async throws {
        let remote = InMemoryRemoteCache()
        remote.fault = .slowUploads(.milliseconds(400))
        let log = RunLog()
        let (project, graph) = try Self.checkout(log: log)
        let events = Events()
        let started = ContinuousClock.now
        let summary = try await Self.build(project, graph, remote: remote, lookups: 1, events: events)
        #expect(summary.ran.count == 7 && summary.uploaded == 7)
        // Three steps in a chain and a batch of four, each looked up while earlier results upload:
        // behind the uploads they would wait seconds.
        let steps = try #require(events.lastStep) - started
        #expect(steps < .milliseconds(800), "\(steps)")
        #expect(events.notes.contains { $0.hasPrefix("waiting up to 30 s for ") && $0.hasSuffix(" to memory") })
    }

    @Test func damagedObjectIsAMissWithAWarning() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        try await Self.build(first, graph, remote: remote)
        let upper = Digest.of("HELLO")
        #expect(remote[.content, upper] != nil)
        remote[.content, upper] = Data("HELLO?".utf8)

        let (second, secondGraph) = try Self.checkout(log: log)
        let events = Events()
        let summary = try await Self.build(second, secondGraph, remote: remote, events: events)
        #expect(summary.ran == ["upper"])
        #expect(events.warnings.count == 1)
        #expect(
            events.warnings.first?.contains(
                "1 object did not match its digest; built locally (first: cas/\(upper.hex) does not match its digest") == true)
        // The step's own run uploaded the right bytes again.
        #expect(remote[.content, upper] == Data("HELLO".utf8))
    }

    @Test func damagedOrForeignActionResultIsAMiss() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        try await Self.build(first, graph, remote: remote)
        let keys = try first.engine.lockFile()!.steps
        let upperKey = keys["upper"]!.key, countKey = keys["count"]!.key
        remote[.actionCache, upperKey] = remote[.actionCache, upperKey]!.dropLast(3)
        // What bazel-remote adds to a stored result (execution_metadata.worker) is skipped.
        remote[.actionCache, countKey] = remote[.actionCache, countKey]! + Data([0x4A, 0x06, 0x2A, 0x04]) + Data("host".utf8)

        let (second, secondGraph) = try Self.checkout(log: log)
        let events = Events()
        let summary = try await Self.build(second, secondGraph, remote: remote, events: events)
        #expect(summary.ran == ["upper"])
        #expect(summary.fetched.contains("count"))
        #expect(events.warnings.count == 1)
        #expect(events.warnings.first?.contains("ac/\(upperKey.hex) (") == true)
        #expect(events.warnings.first?.contains("1 action result was not lutbuild's for their step") == true)
    }

    @Test func evictedContentIsAQuietMiss() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (first, graph) = try Self.checkout(log: log)
        try await Self.build(first, graph, remote: remote)
        remote[.content, Digest.of("5")] = nil
        let (second, secondGraph) = try Self.checkout(log: log)
        let events = Events()
        let summary = try await Self.build(second, secondGraph, remote: remote, events: events)
        #expect(summary.ran == ["count"])
        #expect(events.warnings.isEmpty)
    }

    @Test func failingServerWarnsOnceAndTheBuildGoesOn() async throws {
        let remote = InMemoryRemoteCache()
        remote.fault = .failing(RemoteCacheError("HTTP 500"))
        let log = RunLog()
        let (project, graph) = try Self.checkout(log: log)
        let events = Events()
        let summary = try await Self.build(project, graph, remote: remote, events: events)
        #expect(summary.ran.count == 7)
        #expect(events.warnings == ["remote cache memory cannot be used (HTTP 500); building locally without it"])
        // Stopped after the first failure: one request in flight per lookup slot at most.
        #expect(remote.requestCounts.gets <= 8 && remote.requestCounts.puts == 0)
    }

    @Test func readModeUploadsNothing() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (project, graph) = try Self.checkout(log: log)
        let summary = try await Self.build(project, graph, remote: remote, mode: .readOnly)
        #expect(summary.ran.count == 7 && summary.uploaded == 0)
        #expect(remote.paths.isEmpty)
    }

    /// A forced member run alone (`--retrain`) read its frozen partners: it is
    /// recorded under a derived key and never uploaded, so no checkout gets it
    /// in place of a clean build's result.
    @Test func aForcedPartialRunIsNotUploaded() async throws {
        let remote = InMemoryRemoteCache()
        let log = RunLog()
        let (project, graph) = try Self.checkout(log: log)
        let clean = try await Self.build(project, graph, remote: remote)
        #expect(clean.uploaded == 7)
        let cleanLock = try project.read("lutbuild.lock")
        let forced = try await Self.build(project, graph, remote: remote, force: { $0 == "train/p1" })
        #expect(forced.ran == ["train/p1"])
        #expect(forced.uploaded == 0)
        let (second, secondGraph) = try Self.checkout(log: log)
        let reused = try await Self.build(second, secondGraph, remote: remote)
        #expect(reused.ran.isEmpty)
        #expect(try second.read("lutbuild.lock") == cleanLock)
        #expect(try project.read("lutbuild.lock") != cleanLock)
    }

    @Test func stalledUploadsAreAbandonedAfterTheWait() async throws {
        let remote = InMemoryRemoteCache()
        remote.fault = .stallingUploads
        let log = RunLog()
        let (project, graph) = try Self.checkout(log: log)
        let events = Events()
        let summary = try await Self.build(project, graph, remote: remote, uploadWait: .milliseconds(100), events: events)
        #expect(summary.ran.count == 7 && summary.uploaded == 0)
        #expect(events.warnings.count == 1)
        #expect(events.warnings.first?.contains("did not finish within") == true)
    }

    @Test func anInterruptStopsTheWaitForUploadsAtOnce() async throws {
        let remote = InMemoryRemoteCache()
        remote.fault = .stallingUploads
        let log = RunLog()
        let (project, graph) = try Self.checkout(log: log)
        let events = Events()
        project.clock.advance()
        let settings = RemoteCacheSettings(cache: remote, uploadWait: .seconds(30))
        // Ctrl-C once the build waits for its uploads.
        let options = BuildOptions(
            concurrency: 2, isCancelled: { events.notes.contains { $0.hasPrefix("waiting up to 30 s") } },
            remoteCache: settings)
        let started = ContinuousClock.now
        _ = try? await project.engine.build(graph, options: options, events: events.record)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(events.warnings.contains { $0.contains("upload(s) were abandoned at the interrupt") }, "\(events.warnings)")
    }

    @Test func actionResultWireFormat() throws {
        let digest = Digest.of("abc")
        let result = RemoteActionResult(outputs: ["o": .init(digest: digest, size: 3)])
        // ActionResult{ output_files(2): OutputFile{ path(1): "o", digest(2): Digest{ hash(1), size_bytes(2): 3 } } }
        let digestMessage = Data([0x0A, 0x40]) + Data(digest.hex.utf8) + Data([0x10, 0x03])
        let file = Data([0x0A, 0x01, UInt8(ascii: "o"), 0x12, UInt8(digestMessage.count)]) + digestMessage
        #expect(result.encoded == Data([0x12, UInt8(file.count)]) + file)
        #expect(RemoteActionResult(decoding: result.encoded) == result)
        for length in 0..<result.encoded.count {
            #expect(RemoteActionResult(decoding: result.encoded.prefix(length)) == nil)
        }
    }
}
