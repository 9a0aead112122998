import BuildGraph
import Foundation
import HTTPCache
import NginxCacheServer
import Testing

/// The HTTP cache client against a real nginx (WebDAV), and against servers
/// that fail, refuse, stall or are not there.
@Suite(.serialized) struct HTTPRemoteCacheTests {
    static func cache(_ url: String, timeout: Duration = .seconds(5), environment: [String: String] = [:]) throws -> HTTPRemoteCache {
        let endpoint = try RemoteCacheEndpoint(parsing: url)
        return HTTPRemoteCache(endpoint: endpoint, credentials: try RemoteCacheCredentials.resolve(for: endpoint, environment: environment),
                               timeout: timeout)
    }

    static func error(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func storesAndReadsBothStoresAndMissesWith404() async throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let cache = try Self.cache(server.url)
        let data = Data("partition weights".utf8)
        let digest = Digest.of(data)
        #expect(try await cache.get(.content, digest) == nil)
        try await cache.put(.content, digest, data)
        try await cache.put(.actionCache, digest, Data("result".utf8))
        #expect(try await cache.get(.content, digest) == data)
        #expect(try await cache.get(.actionCache, digest) == Data("result".utf8))
        // The layout a Bazel HTTP cache has on disk.
        #expect(server.entries("cas") == [digest.hex] && server.entries("ac") == [digest.hex])
        // Overwriting is allowed (a newer action result).
        try await cache.put(.actionCache, digest, Data("newer".utf8))
        #expect(try await cache.get(.actionCache, digest) == Data("newer".utf8))
    }

    @Test func serverErrorsAndRefusalsSayWhatHappened() async throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let digest = Digest.of("x")
        let failing = try Self.cache(server.failingURL)
        #expect(await Self.error { _ = try await failing.get(.actionCache, digest) } == "GET answered HTTP 500: server error")
        let full = try Self.cache(server.fullURL)
        #expect(try await full.get(.content, digest) == nil)
        #expect(await Self.error { try await full.put(.content, digest, Data("x".utf8)) } == "PUT answered HTTP 507: the server is full")
        let anonymous = try Self.cache(server.privateURL, environment: ["HOME": "/nonexistent"])
        let refused = await Self.error { _ = try await anonymous.get(.content, digest) }
        #expect(refused?.hasPrefix("GET answered HTTP 401: not authorised; check the credentials for 127.0.0.1") == true)
    }

    @Test func credentialsFromNetrcOrTheHeaderVariable() async throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "machine 127.0.0.1 login \(NginxCacheServer.user) password \(NginxCacheServer.password)\n"
            .write(to: home.appendingPathComponent(".netrc"), atomically: true, encoding: .utf8)
        let data = Data("x".utf8)
        let fromNetrc = try Self.cache(server.privateURL, environment: ["HOME": home.path])
        try await fromNetrc.put(.content, Digest.of(data), data)
        #expect(try await fromNetrc.get(.content, Digest.of(data)) == data)
        let token = Data("\(NginxCacheServer.user):\(NginxCacheServer.password)".utf8).base64EncodedString()
        let fromHeader = try Self.cache(server.privateURL, environment: ["LUTBUILD_REMOTE_CACHE_HEADER": "Authorization: Basic \(token)"])
        #expect(try await fromHeader.get(.content, Digest.of(data)) == data)
    }

    @Test func unreachableAndSilentServersFailFast() async throws {
        let closed = try NginxCacheServer.freePort()
        let unreachable = try Self.cache("http://127.0.0.1:\(closed)/")
        #expect(await Self.error { _ = try await unreachable.get(.content, Digest.of("x")) } == "connection refused")

        let silent = try BoundSocket(listening: true)
        defer { silent.close() }
        let slow = try Self.cache("http://127.0.0.1:\(silent.port)/", timeout: .seconds(1))
        let started = ContinuousClock.now
        let message = await Self.error { _ = try await slow.get(.content, Digest.of("x")) }
        let elapsed = ContinuousClock.now - started
        #expect(message == "no answer within 1 s")
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5), "\(elapsed)")
    }
}
