import Foundation
import Datasets
import HTTPCache
import Testing
@testable import ProjectFile
@testable import Pipeline

/// Where a build's remote cache comes from: flag, then environment, then project file.
@Suite struct RemoteCacheChoiceTests {
    let config = CacheSection(remote: "http://config.example.org/", remoteTimeout: 4)

    @Test func flagThenEnvironmentThenProjectFile() throws {
        let environment = ["LUTBUILD_REMOTE_CACHE": "http://env.example.org/"]
        #expect(try RemoteCacheChoice(environment: [:]).settings(for: config)?.cache.displayName == "http://config.example.org/")
        #expect(try RemoteCacheChoice(environment: environment).settings(for: config)?.cache.displayName == "http://env.example.org/")
        let flag = RemoteCacheChoice(url: "http://flag.example.org/", mode: .readOnly, environment: environment)
        let settings = try #require(try flag.settings(for: config))
        #expect(settings.cache.displayName == "http://flag.example.org/")
        #expect(settings.mode == .readOnly)
        #expect(settings.uploadWait == .seconds(12))
    }

    @Test func anEmptyURLDisables() throws {
        #expect(
            try RemoteCacheChoice(url: "", environment: ["LUTBUILD_REMOTE_CACHE": "http://env.example.org/"]).settings(for: config) == nil)
        #expect(try RemoteCacheChoice(environment: ["LUTBUILD_REMOTE_CACHE": ""]).settings(for: config) == nil)
        #expect(try RemoteCacheChoice(environment: [:]).settings(for: CacheSection()) == nil)
    }

    @Test func badValuesNameTheirOriginButNotTheURL() throws {
        do {
            _ = try RemoteCacheChoice(url: "ftp://ci:s3cret@host/", environment: [:]).settings(for: config)
            Issue.record("an ftp URL was accepted")
        } catch {
            #expect("\(error)".hasPrefix("remote cache (--remote-cache): the scheme must be http, https or file"))
            #expect(!"\(error)".contains("s3cret"))
        }
        // A bad environment value is a usage mistake: exit code 64.
        #expect(throws: PipelineError("LUTBUILD_REMOTE_CACHE_TIMEOUT = x: expected whole seconds in 1…3600", exitCode: 64)) {
            try RemoteCacheChoice(environment: ["LUTBUILD_REMOTE_CACHE_TIMEOUT": "x"]).settings(for: config)
        }
        #expect(throws: PipelineError("LUTBUILD_REMOTE_CACHE_MODE = ro: expected \"read-only\" or \"read-write\"", exitCode: 64)) {
            try RemoteCacheChoice(environment: ["LUTBUILD_REMOTE_CACHE_MODE": "ro"]).settings(for: config)
        }
        #expect(throws: PipelineError("--remote-cache-ca = /nonexistent/ca.pem: no readable file; expected a PEM file", exitCode: 64)) {
            try RemoteCacheChoice(tls: TLSFiles(certificateAuthority: "/nonexistent/ca.pem"), environment: [:]).settings(for: config)
        }
    }

    @Test func modeFromFlagThenEnvironmentThenProjectFile() throws {
        var readOnly = config
        readOnly.mode = .readOnly
        #expect(try RemoteCacheChoice(environment: [:]).settings(for: config)?.mode == .readWrite)
        #expect(try RemoteCacheChoice(environment: [:]).settings(for: readOnly)?.mode == .readOnly)
        #expect(
            try RemoteCacheChoice(environment: ["LUTBUILD_REMOTE_CACHE_MODE": "read-write"]).settings(for: readOnly)?.mode == .readWrite)
        #expect(try RemoteCacheChoice(environment: ["LUTBUILD_REMOTE_CACHE_MODE": "read"]).settings(for: config)?.mode == .readOnly)
        #expect(
            try RemoteCacheChoice(mode: .readWrite, environment: ["LUTBUILD_REMOTE_CACHE_MODE": "read-only"]).settings(for: readOnly)?.mode
                == .readWrite)
    }
}
