import Foundation

/// Where a remote cache is, as the user writes it: a server's base URL
/// (`http://…`, `https://…`) or a directory (`file:///shared/lutbuild-cache`,
/// for nodes that share a filesystem but reach no server). The one parser of
/// `--remote-cache`, `LUTBUILD_REMOTE_CACHE` and `[cache] remote`.
public enum RemoteCacheLocation: Sendable, Equatable {
    case server(RemoteCacheEndpoint)
    case directory(URL)

    public init(parsing text: String) throws(RemoteCacheEndpoint.Invalid) {
        guard text.lowercased().hasPrefix("file:") else {
            self = .server(try RemoteCacheEndpoint(parsing: text))
            return
        }
        let example = "expected a directory as file:///absolute/path"
        guard let url = URL(string: text), url.scheme?.lowercased() == "file" else { throw RemoteCacheEndpoint.Invalid(example) }
        guard (url.host ?? "").isEmpty || url.host == "localhost" else {
            throw RemoteCacheEndpoint.Invalid("a file URL names a directory on this machine, not on \(url.host!); \(example)")
        }
        guard url.path.hasPrefix("/"), url.query == nil, url.fragment == nil else { throw RemoteCacheEndpoint.Invalid(example) }
        self = .directory(URL(fileURLWithPath: url.path, isDirectory: true))
    }

    /// Whether the text carried a user name or password (never for a directory).
    public var hasCredentials: Bool {
        if case .server(let endpoint) = self { endpoint.hasCredentials } else { false }
    }
}
