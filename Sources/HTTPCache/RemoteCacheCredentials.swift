import Foundation
import RemoteCacheAddress

/// The headers sent with every request to a remote cache: those given with
/// `--remote-header` (repeatable, as Bazel's), and the credentials from (first
/// found) an `Authorization` header among them, the environment variable
/// `LUTBUILD_REMOTE_CACHE_HEADER` (one `Name: value` header, e.g.
/// `Authorization: Bearer …`), the user and password in the URL, or the URL
/// host's entry in `~/.netrc` (`$NETRC` names another file). Their values are
/// secrets: nothing prints them.
public struct RemoteCacheCredentials: Sendable, CustomStringConvertible {
    public static let headerVariable = RemoteCacheVariables.header

    let headers: [String: String]

    /// No authentication.
    public static let none = RemoteCacheCredentials(headers: [:])

    /// Where the credentials came from, never what they are.
    public let source: String
    /// Whether any of the headers are credentials (not only other `--remote-header`s).
    public let hasCredentials: Bool

    init(headers: [String: String], source: String = "nowhere", hasCredentials: Bool? = nil) {
        self.headers = headers
        self.source = source
        self.hasCredentials = hasCredentials ?? !headers.isEmpty
    }

    public var description: String { "credentials from \(source)" }

    /// The credentials for `endpoint`; throws when the header variable is malformed
    /// (the message shows its name, never its value).
    /// `flagHeaders` are the `--remote-header` values, in order (a later one
    /// replaces an earlier one of the same name).
    public static func resolve(
        for endpoint: RemoteCacheEndpoint, environment: [String: String],
        flagHeaders: [String] = []
    ) throws(RemoteCacheEndpoint.Invalid) -> RemoteCacheCredentials {
        var given: [String: String] = [:]
        for text in flagHeaders {
            let (name, value) = try header(text, origin: "--remote-header")
            given = given.filter { $0.key.lowercased() != name.lowercased() }
            given[name] = value
        }
        let authorizes = given.keys.contains { $0.lowercased() == "authorization" }
        let credentials = try resolveCredentials(for: endpoint, environment: environment, hasAuthorization: authorizes)
        guard !given.isEmpty else { return credentials }
        var headers = credentials.headers.filter { name, _ in !given.keys.contains { $0.lowercased() == name.lowercased() } }
        headers.merge(given) { _, flag in flag }
        return RemoteCacheCredentials(
            headers: headers, source: authorizes ? "--remote-header" : credentials.source,
            hasCredentials: authorizes || credentials.hasCredentials)
    }

    /// `Name: value`, split; `origin` names the flag or variable in the message (never the value).
    public static func header(_ text: String, origin: String) throws(RemoteCacheEndpoint.Invalid) -> (name: String, value: String) {
        guard let colon = text.firstIndex(of: ":"), !text.contains(where: \.isNewline),
            case let name = text[..<colon].trimmingCharacters(in: .whitespaces),
            !name.isEmpty, !name.contains(where: \.isWhitespace)
        else {
            throw RemoteCacheEndpoint.Invalid("\(origin) must be one header, \"Name: value\", e.g. \"Authorization: Bearer <token>\"")
        }
        return (name, text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    private static func resolveCredentials(
        for endpoint: RemoteCacheEndpoint, environment: [String: String],
        hasAuthorization: Bool
    ) throws(RemoteCacheEndpoint.Invalid) -> RemoteCacheCredentials {
        if hasAuthorization { return .none }
        if let text = environment[headerVariable], !text.isEmpty {
            let (name, value) = try header(text, origin: headerVariable)
            return RemoteCacheCredentials(headers: [name: value], source: headerVariable)
        }
        if endpoint.hasCredentials {
            return .basic(user: endpoint.user ?? "", password: endpoint.password ?? "", source: "the URL")
        }
        let path = environment["NETRC"] ?? environment["HOME"].map { $0 + "/.netrc" }
        if let path, let text = try? String(contentsOfFile: path, encoding: .utf8), let host = endpoint.url.host,
            let entry = Netrc(text: text).entry(for: host), entry.login != nil || entry.password != nil
        {
            return .basic(user: entry.login ?? "", password: entry.password ?? "", source: path)
        }
        return .none
    }

    private static func basic(user: String, password: String, source: String) -> RemoteCacheCredentials {
        let token = Data("\(user):\(password)".utf8).base64EncodedString()
        return RemoteCacheCredentials(headers: ["Authorization": "Basic \(token)"], source: source)
    }
}
