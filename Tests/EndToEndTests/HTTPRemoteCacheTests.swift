import BuildGraph
import Foundation
import RemoteCacheAddress
import TestSupport
import HTTPCache
import NginxCacheServer
import Synchronization
import Testing

/// The HTTP cache client against a real nginx (WebDAV), and against servers
/// that fail, refuse, stall or are not there.
@Suite(.serialized) struct HTTPRemoteCacheTests {
    static func cache(
        _ url: String, timeout: Duration = .seconds(5), environment: [String: String] = [:],
        tls: TLSFiles = TLSFiles()
    ) throws -> HTTPRemoteCache {
        let endpoint = try RemoteCacheEndpoint(parsing: url)
        return HTTPRemoteCache(
            endpoint: endpoint, credentials: try RemoteCacheCredentials.resolve(for: endpoint, environment: environment),
            timeout: timeout, tls: tls)
    }

    static func error(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The error `body` throws, or "did not finish within …" when it takes longer
    /// than `limit` (the request is left behind, so a hang fails the test instead of stalling it).
    static func error(within limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async -> String? {
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.wait(continuation)
            Task {
                let message = await error { try await body() }
                first.answer(message)
            }
            Task {
                try? await Task.sleep(for: limit)
                first.answer("did not finish within \(limit)")
            }
        }
    }

    /// Resumes the waiter with the first answer only.
    final class FirstAnswer: Sendable {
        private let waiter = Mutex<CheckedContinuation<String?, Never>?>(nil)
        func wait(_ continuation: CheckedContinuation<String?, Never>) { waiter.withLock { $0 = continuation } }
        func answer(_ message: String?) { waiter.withLock { $0.take() }?.resume(returning: message) }
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
        #expect(
            refused?.hasPrefix("GET answered HTTP 401: the server asks for credentials; none or wrong ones were given for 127.0.0.1")
                == true)
    }

    /// nginx's auth_basic answers 401 with WWW-Authenticate, which made URLSession on Linux wait forever.
    @Test func anAuthenticationChallengeFailsAtOnceNamingWhereTheCredentialsCameFrom() async throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let digest = Digest.of("x")
        let anonymous = try Self.cache(server.basicAuthURL, environment: ["HOME": "/nonexistent"])
        let started = ContinuousClock.now
        let none = await Self.error(within: .seconds(10)) { _ = try await anonymous.get(.content, digest) }
        #expect(
            none == "GET answered HTTP 401: the server asks for credentials; none or wrong ones were given for 127.0.0.1 "
                + "(none were found in --remote-header, LUTBUILD_REMOTE_CACHE_HEADER, the URL or ~/.netrc)")
        #expect(ContinuousClock.now - started < .seconds(3))

        let homeSandbox = try Sandbox("home")
        defer { homeSandbox.remove() }
        let home = homeSandbox.url
        try "machine 127.0.0.1 login \(NginxCacheServer.user) password wrong\n".write(
            to: home.appendingPathComponent(".netrc"), atomically: true, encoding: .utf8)
        let wrong = try Self.cache(server.basicAuthURL, environment: ["HOME": home.path])
        let refused = await Self.error(within: .seconds(10)) { try await wrong.put(.content, digest, Data("x".utf8)) }
        #expect(
            refused == "PUT answered HTTP 401: the server asks for credentials; none or wrong ones were given for 127.0.0.1 "
                + "(those sent came from \(home.path)/.netrc)")

        try "machine 127.0.0.1 login \(NginxCacheServer.user) password \(NginxCacheServer.password)\n"
            .write(to: home.appendingPathComponent(".netrc"), atomically: true, encoding: .utf8)
        let right = try Self.cache(server.basicAuthURL, environment: ["HOME": home.path])
        try await right.put(.content, digest, Data("x".utf8))
        #expect(try await right.get(.content, digest) == Data("x".utf8))
    }

    /// A server sending one byte a second is cut off at the timeout, not after ten times it.
    @Test func aTricklingServerIsCutOffAtTheTimeout() async throws {
        let server = try ScriptedCacheServer(.trickle(interval: .seconds(1)), lifetime: .seconds(30))
        defer { server.stop() }
        let cache = try Self.cache(server.url, timeout: .seconds(2))
        let started = ContinuousClock.now
        let message = await Self.error(within: .seconds(30)) { _ = try await cache.get(.content, Digest.of("x")) }
        let elapsed = ContinuousClock.now - started
        #expect(message == "no answer within 2 s")
        #expect(elapsed >= .milliseconds(1900) && elapsed < .seconds(4), "\(elapsed)")
    }

    @Test func everyRemoteHeaderIsSent() async throws {
        let server = try ScriptedCacheServer(lifetime: .seconds(30))
        defer { server.stop() }
        let endpoint = try RemoteCacheEndpoint(parsing: server.url)
        let credentials = try RemoteCacheCredentials.resolve(
            for: endpoint, environment: ["HOME": "/nonexistent"], flagHeaders: ["X-Team: fpga", "Authorization: Bearer t0ken"])
        let cache = HTTPRemoteCache(endpoint: endpoint, credentials: credentials)
        #expect(try await cache.get(.content, Digest.of("x")) == nil)
        let sent = try #require(server.requestHeaders.last)
        #expect(sent.contains("X-Team: fpga") && sent.contains("Authorization: Bearer t0ken"), "\(sent)")
    }

    @Test func aTruncatedDownloadIsABadTransferNotAServerFailure() async throws {
        let server = try ScriptedCacheServer(lifetime: .seconds(30))
        defer { server.stop() }
        let cache = try Self.cache(server.url)
        let data = Data(repeating: 7, count: 10_000)
        try await cache.put(.content, Digest.of(data), data)
        server.truncateNextDownloads(1)
        do {
            _ = try await cache.get(.content, Digest.of(data))
            Issue.record("a truncated download was accepted")
        } catch let error as RemoteCacheError {
            #expect(error.kind == .badTransfer)
            #expect(error.description.hasPrefix("the transfer broke off"))
        }
        #expect(try await cache.get(.content, Digest.of(data)) == data)
    }

    /// A private CA from a file (as Bazel's --tls_certificate), and a client certificate.
    @Test func aPrivateCAAndAClientCertificate() async throws {
        let server = try NginxCacheServer(tls: true)
        defer { server.stop() }
        let certificates = try #require(server.certificates)
        let digest = Digest.of("x")
        let untrusted = try Self.cache(server.tlsURL())
        let refused = await Self.error(within: .seconds(10)) { _ = try await untrusted.get(.content, digest) }
        #expect(refused?.hasPrefix("TLS: the server's certificate is not trusted") == true, "\(refused ?? "")")

        let trusted = try Self.cache(server.tlsURL(), tls: TLSFiles(certificateAuthority: certificates.authority.path))
        try await trusted.put(.content, digest, Data("x".utf8))
        #expect(try await trusted.get(.content, digest) == Data("x".utf8))

        // /mtls/ wants a certificate from the same CA.
        let anonymous = try Self.cache(server.tlsURL("mtls"), tls: TLSFiles(certificateAuthority: certificates.authority.path))
        #expect(await Self.error { _ = try await anonymous.get(.content, digest) }?.hasPrefix("GET answered HTTP 403") == true)
        let client = try Self.cache(
            server.tlsURL("mtls"),
            tls: TLSFiles(
                certificateAuthority: certificates.authority.path, clientCertificate: certificates.clientCertificate.path,
                clientKey: certificates.clientKey.path))
        try await client.put(.content, digest, Data("x".utf8))
        #expect(try await client.get(.content, digest) == Data("x".utf8))
    }

    @Test func credentialsFromNetrcOrTheHeaderVariable() async throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let homeSandbox = try Sandbox("home")
        defer { homeSandbox.remove() }
        let home = homeSandbox.url
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
