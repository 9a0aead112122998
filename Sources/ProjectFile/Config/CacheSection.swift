import Foundation
import RemoteCacheAddress
import TOMLKit

/// `[cache]`: the remote cache this project's builds share (docs/remote-cache.md).
/// Where a build's outputs are cached never changes what is built, so no step
/// key depends on this section.
public struct CacheSection: Sendable, Equatable, Hashable, Codable {
    /// Base URL of a Bazel HTTP cache (bazel-remote, nginx WebDAV); nil or empty: none.
    public var remote: String?
    /// Seconds a request, its whole transfer included, may take before the build goes on without it.
    public var remoteTimeout: Int
    /// Whether builds upload (`read-write`) or only read (`read-only`); nil: not set here.
    public var mode: RemoteCacheMode?
    /// PEM file of the CA that signed the server's certificate (a private CA), relative to the project.
    public var tlsCAFile: String?
    /// PEM files of the client's certificate and its key, for servers that ask for one.
    public var tlsClientCertificate: String?
    public var tlsClientKey: String?

    public static let defaultTimeout = 10

    public init(
        remote: String? = nil, remoteTimeout: Int = CacheSection.defaultTimeout, mode: RemoteCacheMode? = nil,
        tlsCAFile: String? = nil, tlsClientCertificate: String? = nil, tlsClientKey: String? = nil
    ) {
        self.remote = remote
        self.remoteTimeout = remoteTimeout
        self.mode = mode
        self.tlsCAFile = tlsCAFile
        self.tlsClientCertificate = tlsClientCertificate
        self.tlsClientKey = tlsClientKey
    }
}

extension ProjectConfigSchema {
    /// The TLS files must exist (relative paths are the project directory's).
    static func checkCacheFiles(_ cache: CacheSection, with r: inout TOMLReader, projectDirectory: URL) {
        let path = ConfigKeyPath().appending("cache")
        for (key, file) in [
            ("tls_ca_file", cache.tlsCAFile), ("tls_client_certificate", cache.tlsClientCertificate),
            ("tls_client_key", cache.tlsClientKey),
        ] {
            guard let file else { continue }
            let url = ProjectConfigRules.resolve(file, in: projectDirectory)
            if !FileManager.default.isReadableFile(atPath: url.path) {
                r.report(path.appending(key), "no readable file \(url.path); expected a PEM file")
            }
        }
    }
}
