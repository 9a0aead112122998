import BuildGraph
import Foundation
import HTTPCache
import ProjectFile

/// Which remote cache a build uses (docs/remote-cache.md): the URL from
/// `--remote-cache`, else from the environment variable `LUTBUILD_REMOTE_CACHE`,
/// else `[cache] remote`; an empty URL at any of these levels means none.
public struct RemoteCacheChoice: Sendable {
    public static let urlVariable = "LUTBUILD_REMOTE_CACHE"
    public static let timeoutVariable = "LUTBUILD_REMOTE_CACHE_TIMEOUT"

    /// The URL given on the command line, if any.
    public var url: String?
    public var mode: RemoteCacheMode
    /// The environment the URL, timeout and credentials are read from.
    public var environment: [String: String]

    public init(url: String? = nil, mode: RemoteCacheMode = .readWrite,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.url = url
        self.mode = mode
        self.environment = environment
    }

    /// The settings for a build of a project with `config`, nil without a
    /// remote cache. Throws `PipelineError` naming where a bad value came from
    /// (never showing a URL or header, which may hold credentials).
    public func settings(for config: CacheSection) throws -> RemoteCacheSettings? {
        let (text, origin): (String?, String) = if let url { (url, "--remote-cache") }
            else if let variable = environment[Self.urlVariable] { (variable, Self.urlVariable) }
            else { (config.remote, "[cache] remote in lutbuild.toml") }
        guard let text, !text.isEmpty else { return nil }
        var seconds = config.remoteTimeout
        if let variable = environment[Self.timeoutVariable], !variable.isEmpty {
            guard let value = Int(variable), ProjectConfigSchema.timeoutRange.contains(value) else {
                throw PipelineError("\(Self.timeoutVariable) = \(variable): expected whole seconds in 1…3600")
            }
            seconds = value
        }
        do {
            let endpoint = try RemoteCacheEndpoint(parsing: text)
            let credentials = try RemoteCacheCredentials.resolve(for: endpoint, environment: environment)
            let timeout = Duration.seconds(seconds)
            return RemoteCacheSettings(
                cache: HTTPRemoteCache(endpoint: endpoint, credentials: credentials, timeout: timeout),
                mode: mode, uploadWait: timeout * 3)
        } catch {
            throw PipelineError("remote cache (\(origin)): \(error.description)")
        }
    }
}
