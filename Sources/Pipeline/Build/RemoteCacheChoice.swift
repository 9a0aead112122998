import BuildGraph
import Diagnostics
import Foundation
import RemoteCacheAddress
import HTTPCache
import ProjectFile

/// Which remote cache a build uses and how (docs/remote-cache.md). Each
/// setting comes from, first found: its command-line flag, its environment
/// variable, the project file's `[cache]` key. The URL: `--remote-cache`,
/// `LUTBUILD_REMOTE_CACHE`, `[cache] remote` (an empty URL at any of these
/// levels means none); the mode: `--remote-cache-mode`,
/// `LUTBUILD_REMOTE_CACHE_MODE`, `[cache] mode`, else read-write; the CA:
/// `--remote-cache-ca`, `[cache] tls_ca_file`, `SSL_CERT_FILE`.
public struct RemoteCacheChoice: Sendable {
    public static let urlVariable = "LUTBUILD_REMOTE_CACHE"
    public static let timeoutVariable = "LUTBUILD_REMOTE_CACHE_TIMEOUT"
    public static let modeVariable = "LUTBUILD_REMOTE_CACHE_MODE"
    public static let certificateAuthorityVariable = "SSL_CERT_FILE"

    /// The URL given on the command line, if any.
    public var url: String?
    /// The mode given on the command line, if any.
    public var mode: RemoteCacheMode?
    /// `--remote-header` values, `Name: value`.
    public var headers: [String]
    /// `--remote-cache-ca`, `--remote-cache-client-cert`, `--remote-cache-client-key`.
    public var tls: TLSFiles
    /// The environment the URL, timeout, mode and credentials are read from.
    public var environment: [String: String]

    public init(
        url: String? = nil, mode: RemoteCacheMode? = nil, headers: [String] = [], tls: TLSFiles = TLSFiles(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.url = url
        self.mode = mode
        self.headers = headers
        self.tls = tls
        self.environment = environment
    }

    /// The settings for a build of a project with `config` in `projectDirectory`
    /// (against which the project file's paths are read), nil without a remote
    /// cache. Throws `PipelineError` naming where a bad value came from (never
    /// showing a URL or header, which may hold credentials): exit code 64 for
    /// a flag or an environment variable.
    public func settings(for config: CacheSection, projectDirectory: URL? = nil) throws -> RemoteCacheSettings? {
        let (text, origin): (String?, String) =
            if let url { (url, "--remote-cache") } else if let variable = environment[Self.urlVariable] {
                (variable, Self.urlVariable)
            } else { (config.remote, "[cache] remote in lutbuild.toml") }
        // A bad variable is a mistake even while no remote cache is set: say so before anything else.
        var seconds = config.remoteTimeout
        if let variable = environment[Self.timeoutVariable], !variable.isEmpty {
            let range = ProjectKeys.timeoutRange
            guard let value = Int(variable), range.contains(value) else {
                throw PipelineError.usage(
                    "\(Self.timeoutVariable) = \(variable): expected whole seconds in \(range.lowerBound)…\(range.upperBound)")
            }
            seconds = value
        }
        let mode = try resolvedMode(config)
        guard let text, !text.isEmpty else { return nil }
        let endpoint: RemoteCacheEndpoint, credentials: RemoteCacheCredentials
        do {
            switch try RemoteCacheLocation(parsing: text) {
            case .server(let server): endpoint = server
            case .directory(let directory):
                // A shared directory: no credentials, TLS or timeout to resolve.
                return RemoteCacheSettings(
                    cache: DirectoryRemoteCache(directory: directory), mode: mode,
                    uploadWait: .seconds(seconds) * 3)
            }
        } catch {
            throw PipelineError(
                "remote cache (\(origin)): \(error.description)",
                exitCode: origin.hasPrefix("[cache]") ? UserError.inputExitCode : UserError.usageExitCode)
        }
        let tls = try resolvedTLS(config, projectDirectory: projectDirectory, https: endpoint.url.scheme == "https")
        do {
            credentials = try RemoteCacheCredentials.resolve(for: endpoint, environment: environment, flagHeaders: headers)
        } catch {
            throw PipelineError("remote cache: \(error.description)", exitCode: UserError.usageExitCode)
        }
        let timeout = Duration.seconds(seconds)
        return RemoteCacheSettings(
            cache: HTTPRemoteCache(endpoint: endpoint, credentials: credentials, timeout: timeout, tls: tls),
            mode: mode, uploadWait: timeout * 3)
    }

    /// The environment that makes a child `lutbuild` (a cluster sweep's task)
    /// choose as this command line does: the URL, mode and one header as
    /// their variables, never as arguments (visible in `ps` and `squeue`).
    /// TLS files reach tasks through `[cache]` only.
    public var childEnvironment: [String: String] {
        var environment: [String: String] = [:]
        if let url { environment[Self.urlVariable] = url }
        if let mode { environment[Self.modeVariable] = mode.rawValue }
        if let header = headers.last { environment[RemoteCacheCredentials.headerVariable] = header }
        return environment
    }

    private func resolvedMode(_ config: CacheSection) throws -> RemoteCacheMode {
        if let mode { return mode }
        if let variable = environment[Self.modeVariable], !variable.isEmpty {
            guard let mode = RemoteCacheMode(named: variable) else {
                throw PipelineError.usage("\(Self.modeVariable) = \(variable): expected \(RemoteCacheMode.names)")
            }
            return mode
        }
        return config.mode ?? .readWrite
    }

    /// The TLS files, each checked to be readable; the project file's are relative to the project.
    /// `SSL_CERT_FILE`, set for every program, counts only for an `https` cache.
    private func resolvedTLS(_ config: CacheSection, projectDirectory: URL?, https: Bool) throws -> TLSFiles {
        func located(_ file: String?) -> String? {
            guard let file, let projectDirectory, !file.hasPrefix("/") else { return file }
            return projectDirectory.appendingPathComponent(file).path
        }
        var files = TLSFiles()
        var origins: [(String, String?)] = []
        if let ca = tls.certificateAuthority {
            files.certificateAuthority = ca
            origins.append(("--remote-cache-ca", ca))
        } else if let ca = config.tlsCAFile {
            files.certificateAuthority = located(ca)
        } else if https, let ca = environment[Self.certificateAuthorityVariable], !ca.isEmpty {
            files.certificateAuthority = ca
            origins.append((Self.certificateAuthorityVariable, ca))
        }
        if tls.clientCertificate != nil || tls.clientKey != nil {
            guard let certificate = tls.clientCertificate, let key = tls.clientKey else {
                throw PipelineError(
                    "a client certificate needs its key: give both --remote-cache-client-cert and --remote-cache-client-key",
                    exitCode: UserError.usageExitCode)
            }
            files.clientCertificate = certificate
            files.clientKey = key
            origins += [("--remote-cache-client-cert", certificate), ("--remote-cache-client-key", key)]
        } else {
            files.clientCertificate = located(config.tlsClientCertificate)
            files.clientKey = located(config.tlsClientKey)
        }
        for (origin, file) in origins {
            guard let file, FileManager.default.isReadableFile(atPath: file) else {
                throw PipelineError("\(origin) = \(file ?? ""): no readable file; expected a PEM file", exitCode: UserError.usageExitCode)
            }
        }
        return files
    }
}
