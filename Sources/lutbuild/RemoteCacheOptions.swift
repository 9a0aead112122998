import ArgumentParser
import BuildGraph
import Foundation
import RemoteCacheAddress
import HTTPCache
import Pipeline

extension RemoteCacheMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(named: argument) }
}

/// The remote cache flags of the commands that build (`build`, `watch`, `sweep`).
struct RemoteCacheOptions: ParsableArguments {
    @Option(
        name: .customLong("remote-cache"),
        help: ArgumentHelp(
            "Shared cache (Bazel HTTP cache protocol, e.g. bazel-remote or nginx WebDAV, or file:///DIR on a shared filesystem);"
                + " overrides LUTBUILD_REMOTE_CACHE and [cache] remote; an empty URL disables it.",
            valueName: "url"))
    var url: String?

    @Option(
        name: .customLong("remote-cache-mode"),
        help: ArgumentHelp(
            "read-only (or read): reuse what others uploaded, upload nothing; read-write: also upload what this build runs."
                + " Overrides LUTBUILD_REMOTE_CACHE_MODE and [cache] mode (default read-write).",
            valueName: "mode"))
    var mode: RemoteCacheMode?

    @Option(
        name: .customLong("remote-header"),
        help: ArgumentHelp(
            "A header sent with every remote cache request, e.g. \"Authorization: Bearer TOKEN\" (repeatable).", valueName: "name: value"))
    var headers: [String] = []

    @Option(
        name: .customLong("remote-cache-ca"),
        help: ArgumentHelp(
            "PEM file of the CA that signed the cache server's certificate; overrides [cache] tls_ca_file and SSL_CERT_FILE.",
            valueName: "file"))
    var certificateAuthority: String?

    @Option(
        name: .customLong("remote-cache-client-cert"),
        help: ArgumentHelp(
            "PEM client certificate for a server that asks for one (with --remote-cache-client-key).", valueName: "file"))
    var clientCertificate: String?

    @Option(name: .customLong("remote-cache-client-key"), help: ArgumentHelp("PEM key of --remote-cache-client-cert.", valueName: "file"))
    var clientKey: String?

    func validate() throws {
        for header in headers {
            do { _ = try RemoteCacheCredentials.header(header, origin: "--remote-header") } catch {
                throw ValidationError(error.description)
            }
        }
        if (clientCertificate == nil) != (clientKey == nil) {
            throw ValidationError("a client certificate needs its key: give both --remote-cache-client-cert and --remote-cache-client-key")
        }
    }

    var choice: RemoteCacheChoice {
        RemoteCacheChoice(
            url: url, mode: mode, headers: headers,
            tls: TLSFiles(certificateAuthority: certificateAuthority, clientCertificate: clientCertificate, clientKey: clientKey))
    }

    /// The same flags as arguments of a child `lutbuild build` (watch); files as absolute paths.
    var arguments: [String] {
        func file(_ flag: String, _ path: String?) -> [String] { path.map { [flag, URL(fileURLWithPath: $0).path] } ?? [] }
        return (url.map { ["--remote-cache", $0] } ?? []) + (mode.map { ["--remote-cache-mode", $0.rawValue] } ?? [])
            + headers.flatMap { ["--remote-header", $0] }
            + file("--remote-cache-ca", certificateAuthority)
            + file("--remote-cache-client-cert", clientCertificate) + file("--remote-cache-client-key", clientKey)
    }
}
