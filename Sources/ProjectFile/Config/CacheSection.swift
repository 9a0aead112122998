import HTTPCache
import TOMLKit

/// `[cache]`: the remote cache this project's builds share (docs/remote-cache.md).
/// Where a build's outputs are cached never changes what is built, so no step
/// key depends on this section.
public struct CacheSection: Sendable, Equatable, Hashable, Codable {
    /// Base URL of a Bazel HTTP cache (bazel-remote, nginx WebDAV); nil or empty: none.
    public var remote: String?
    /// Seconds a request waits for the server before the build goes on without it.
    public var remoteTimeout: Int

    public static let defaultTimeout = 10

    public init(remote: String? = nil, remoteTimeout: Int = CacheSection.defaultTimeout) {
        self.remote = remote
        self.remoteTimeout = remoteTimeout
    }
}

extension ProjectConfigSchema {
    static let cacheKeys = ["remote", "remote_timeout"]
    package static let timeoutRange = 1...3600

    static func readCache(_ table: TOMLTable, with r: inout TOMLReader) -> CacheSection {
        let path = ConfigKeyPath().appending("cache")
        r.checkKeys(of: table, at: path, known: cacheKeys)
        let remote = r.string(table, "remote", at: path)
        if let remote, !remote.isEmpty {
            do {
                let endpoint = try RemoteCacheEndpoint(parsing: remote)
                if endpoint.hasCredentials {
                    r.report(path.appending("remote"), "credentials do not belong in the project file, which is committed; put them in ~/.netrc or \(RemoteCacheCredentials.headerVariable)")
                }
            } catch {
                r.report(path.appending("remote"), error.description)
            }
        }
        return CacheSection(
            remote: remote,
            remoteTimeout: r.int(table, "remote_timeout", at: path, in: timeoutRange) ?? CacheSection.defaultTimeout)
    }
}
