import Foundation

/// The headers that authenticate lutbuild to a remote cache, from (first
/// found) the environment variable `LUTBUILD_REMOTE_CACHE_HEADER` (one
/// `Name: value` header, e.g. `Authorization: Bearer …`), the user and
/// password in the URL, or the URL host's entry in `~/.netrc` (`$NETRC` names
/// another file). Their values are secrets: nothing prints them.
public struct RemoteCacheCredentials: Sendable, CustomStringConvertible {
    public static let headerVariable = "LUTBUILD_REMOTE_CACHE_HEADER"

    let headers: [String: String]

    /// No authentication.
    public static let none = RemoteCacheCredentials(headers: [:])

    /// Where the credentials came from, never what they are.
    public let source: String

    init(headers: [String: String], source: String = "nowhere") {
        self.headers = headers
        self.source = source
    }

    public var description: String { "credentials from \(source)" }

    /// The credentials for `endpoint`; throws when the header variable is malformed
    /// (the message shows its name, never its value).
    public static func resolve(for endpoint: RemoteCacheEndpoint,
                               environment: [String: String]) throws(RemoteCacheEndpoint.Invalid) -> RemoteCacheCredentials {
        if let header = environment[headerVariable], !header.isEmpty {
            guard let colon = header.firstIndex(of: ":"),
                  !header[..<colon].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw RemoteCacheEndpoint.Invalid("\(headerVariable) must be one header, \"Name: value\", e.g. \"Authorization: Bearer <token>\"")
            }
            let name = header[..<colon].trimmingCharacters(in: .whitespaces)
            let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return RemoteCacheCredentials(headers: [name: value], source: headerVariable)
        }
        if endpoint.hasCredentials {
            return .basic(user: endpoint.user ?? "", password: endpoint.password ?? "", source: "the URL")
        }
        let path = environment["NETRC"] ?? environment["HOME"].map { $0 + "/.netrc" }
        if let path, let text = try? String(contentsOfFile: path, encoding: .utf8), let host = endpoint.url.host,
           let entry = Netrc(text: text).entry(for: host), entry.login != nil || entry.password != nil {
            return .basic(user: entry.login ?? "", password: entry.password ?? "", source: path)
        }
        return .none
    }

    private static func basic(user: String, password: String, source: String) -> RemoteCacheCredentials {
        let token = Data("\(user):\(password)".utf8).base64EncodedString()
        return RemoteCacheCredentials(headers: ["Authorization": "Basic \(token)"], source: source)
    }
}
