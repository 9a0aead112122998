import BuildGraph
import Foundation
import RemoteCacheAddress
import TestSupport
@testable import HTTPCache
import Testing

/// Cache URLs and credentials: where requests go, what authenticates them,
/// and that no message can show a secret.
@Suite struct EndpointAndCredentialsTests {
    @Test func objectAndResultPathsFollowTheProtocol() throws {
        let endpoint = try RemoteCacheEndpoint(parsing: "http://cache.example.org:8080/team/lutbuild")
        #expect(endpoint.displayName == "http://cache.example.org:8080/team/lutbuild/")
        let digest = Digest.of("abc")
        #expect(endpoint.url(.content, digest).absoluteString == "http://cache.example.org:8080/team/lutbuild/cas/\(digest.hex)")
        #expect(endpoint.url(.actionCache, digest).absoluteString == "http://cache.example.org:8080/team/lutbuild/ac/\(digest.hex)")
        #expect(try RemoteCacheEndpoint(parsing: "https://cache.example.org").displayName == "https://cache.example.org/")
    }

    @Test func badURLsSayWhatIsExpected() {
        for text in ["cache.example.org:8080", "ftp://cache.example.org/", "http:///prefix/", "http://host/p?token=1", "not a url"] {
            #expect(throws: RemoteCacheEndpoint.Invalid.self) { try RemoteCacheEndpoint(parsing: text) }
        }
        #expect(
            throws: RemoteCacheEndpoint.Invalid(
                "the scheme must be http, https or file, expected a URL such as http://cache.example.org:8080/lutbuild/")
        ) {
            try RemoteCacheEndpoint(parsing: "ftp://cache.example.org/")
        }
    }

    /// `file:///path` is a directory on a shared filesystem; anything else file-like is refused.
    @Test func aFileURLIsADirectory() throws {
        #expect(
            try RemoteCacheLocation(parsing: "file:///shared/cache") == .directory(URL(fileURLWithPath: "/shared/cache", isDirectory: true))
        )
        #expect(
            try RemoteCacheLocation(parsing: "file://localhost/shared/cache/")
                == .directory(URL(fileURLWithPath: "/shared/cache", isDirectory: true)))
        #expect(
            try RemoteCacheLocation(parsing: "http://cache.example.org/")
                == .server(RemoteCacheEndpoint(parsing: "http://cache.example.org/")))
        #expect(
            throws: RemoteCacheEndpoint.Invalid(
                "a file URL names a directory on this machine, not on nas; expected a directory as file:///absolute/path")
        ) {
            try RemoteCacheLocation(parsing: "file://nas/cache")
        }
        #expect(throws: RemoteCacheEndpoint.Invalid.self) { try RemoteCacheLocation(parsing: "file:relative/cache") }
        #expect(try !RemoteCacheLocation(parsing: "file:///shared/cache").hasCredentials)
    }

    /// Written by temporary file and rename: an entry is whole or absent, and nothing else is left.
    @Test func aDirectoryCacheStoresWholeEntries() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("directory-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = DirectoryRemoteCache(directory: root.appendingPathComponent("shared"))
        let digest = Digest.of(Data("hello".utf8))
        #expect(try await cache.get(.content, digest) == nil)
        try await cache.put(.content, digest, Data("hello".utf8))
        try await cache.put(.content, digest, Data("hello".utf8))
        #expect(try await cache.get(.content, digest) == Data("hello".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("shared/cas").path) == [digest.hex])
        #expect(cache.displayName == "file://\(root.path)/shared/")
    }

    @Test func credentialsInTheURLLeaveIt() throws {
        let endpoint = try RemoteCacheEndpoint(parsing: "http://ci:s3cret@cache.example.org/x/")
        #expect(endpoint.hasCredentials)
        #expect(endpoint.displayName == "http://cache.example.org/x/")
        #expect(!endpoint.url(.content, Digest.of("abc")).absoluteString.contains("s3cret"))
        let credentials = try RemoteCacheCredentials.resolve(for: endpoint, environment: [:])
        #expect(credentials.headers == ["Authorization": "Basic " + Data("ci:s3cret".utf8).base64EncodedString()])
        #expect(!"\(credentials)".contains("s3cret") && !"\(credentials)".contains("Basic"))
    }

    @Test func remoteHeadersAddToTheCredentialsAndAnAuthorizationOneReplacesThem() throws {
        let endpoint = try RemoteCacheEndpoint(parsing: "http://ci:s3cret@cache.example.org/")
        let basic = "Basic " + Data("ci:s3cret".utf8).base64EncodedString()
        let added = try RemoteCacheCredentials.resolve(for: endpoint, environment: [:], flagHeaders: ["X-Team: fpga", "X-Run: 7"])
        #expect(added.headers == ["Authorization": basic, "X-Team": "fpga", "X-Run": "7"])
        #expect(added.source == "the URL" && added.hasCredentials)
        let replaced = try RemoteCacheCredentials.resolve(
            for: endpoint, environment: ["LUTBUILD_REMOTE_CACHE_HEADER": "Authorization: Bearer env"],
            flagHeaders: ["authorization: Bearer one", "Authorization: Bearer two"])
        #expect(replaced.headers == ["Authorization": "Bearer two"])
        #expect(replaced.source == "--remote-header")
        let plain = try RemoteCacheCredentials.resolve(
            for: RemoteCacheEndpoint(parsing: "http://cache.example.org/"),
            environment: ["HOME": "/nonexistent"], flagHeaders: ["X-Team: fpga"])
        #expect(plain.headers == ["X-Team": "fpga"] && !plain.hasCredentials)
        for bad in ["Bearer t0ken", ": t0ken", "Two Words: t0ken", "X: a\nY: b"] {
            do {
                _ = try RemoteCacheCredentials.resolve(for: endpoint, environment: [:], flagHeaders: [bad])
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.description == "--remote-header must be one header, \"Name: value\", e.g. \"Authorization: Bearer <token>\"")
            }
        }
    }

    @Test func headerVariableWinsAndIsNeverEchoed() throws {
        let endpoint = try RemoteCacheEndpoint(parsing: "http://ci:s3cret@cache.example.org/")
        let credentials = try RemoteCacheCredentials.resolve(
            for: endpoint, environment: ["LUTBUILD_REMOTE_CACHE_HEADER": "Authorization: Bearer t0ken"])
        #expect(credentials.headers == ["Authorization": "Bearer t0ken"])
        do {
            _ = try RemoteCacheCredentials.resolve(for: endpoint, environment: ["LUTBUILD_REMOTE_CACHE_HEADER": "Bearer t0ken"])
            Issue.record("a header without a name was accepted")
        } catch {
            #expect(error.description.contains("LUTBUILD_REMOTE_CACHE_HEADER"))
            #expect(!error.description.contains("t0ken"))
        }
    }

    @Test func netrcEntryOfTheHostOrTheDefault() throws {
        let directorySandbox = try Sandbox("netrc")
        defer { directorySandbox.remove() }
        let directory = directorySandbox.url
        try """
        # team cache
        machine other.example.org login someone password nope
        machine cache.example.org
          login ci
          password "pass word"

        macdef init
        machine cache.example.org login wrong password wrong

        default login anonymous password guest
        """.write(to: directory.appendingPathComponent(".netrc"), atomically: true, encoding: .utf8)
        let home = ["HOME": directory.path]
        let cache = try RemoteCacheCredentials.resolve(for: RemoteCacheEndpoint(parsing: "http://cache.example.org/"), environment: home)
        #expect(cache.headers["Authorization"] == "Basic " + Data("ci:pass word".utf8).base64EncodedString())
        #expect(cache.source == directory.path + "/.netrc")
        let other = try RemoteCacheCredentials.resolve(for: RemoteCacheEndpoint(parsing: "http://unknown.example.org/"), environment: home)
        #expect(other.headers["Authorization"] == "Basic " + Data("anonymous:guest".utf8).base64EncodedString())
        let none = try RemoteCacheCredentials.resolve(
            for: RemoteCacheEndpoint(parsing: "http://cache.example.org/"),
            environment: ["HOME": "/nonexistent"])
        #expect(none.headers.isEmpty)
    }
}
