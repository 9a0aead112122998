import Diagnostics
import Foundation

/// A remote cache's base URL, `http://host:port/prefix/`: objects live at
/// `<prefix>/cas/<sha256>`, action results at `<prefix>/ac/<key>`.
///
/// Credentials written into the URL (`http://user:password@host/`) are taken
/// out of it at once: they are sent as basic authentication, and neither
/// `url` nor `displayName` contains them.
public struct RemoteCacheEndpoint: Sendable, Equatable {
    /// The base URL, without credentials, ending in `/`.
    public let url: URL
    package let user: String?
    package let password: String?

    /// Parses the URL as the user gave it; the error says what is expected.
    public init(parsing text: String) throws(RemoteCacheEndpoint.Invalid) {
        let example = "expected a URL such as http://cache.example.org:8080/lutbuild/"
        guard text.contains("://"), var components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased()
        else {
            throw Invalid("\(example)")
        }
        guard scheme == "http" || scheme == "https" else {
            throw Invalid("the scheme must be http, https or file, \(example)")
        }
        guard let host = components.host, !host.isEmpty else { throw Invalid("no host; \(example)") }
        guard components.query == nil, components.fragment == nil else {
            throw Invalid("a query or fragment (?…, #…) cannot be part of a cache URL; \(example)")
        }
        user = components.user
        password = components.password
        components.user = nil
        components.password = nil
        components.scheme = scheme
        if !components.path.hasSuffix("/") { components.path += "/" }
        guard let url = components.url else { throw Invalid(example) }
        self.url = url
    }

    /// Whether the URL carried a user name or password.
    public var hasCredentials: Bool { user != nil || password != nil }

    /// The URL for messages: it never holds credentials.
    public var displayName: String { url.absoluteString }

    /// Why a cache URL cannot be used.
    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}

/// A remote cache URL that cannot be used (exit 2; `RemoteCacheChoice` says where it came from).
extension RemoteCacheEndpoint.Invalid: UserFacingError {
    public var userErrors: [UserError] { [UserError.input(description)] }
}
