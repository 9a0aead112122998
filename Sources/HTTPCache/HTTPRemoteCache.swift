import BuildGraph
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A remote cache on a server that speaks the Bazel HTTP cache protocol
/// (bazel-remote, nginx with WebDAV, …): `GET`/`PUT` of `cas/<sha256>` and
/// `ac/<key>` under the base URL; 404 is a miss.
public final class HTTPRemoteCache: RemoteCache {
    public let endpoint: RemoteCacheEndpoint
    private let credentials: RemoteCacheCredentials
    private let timeout: Duration
    private let session: URLSession

    /// `timeout` bounds each request's wait for the server (connecting, or a
    /// silence in the middle of a transfer); a whole transfer may take ten times it.
    /// Whole seconds, at least one: Foundation on Linux truncates fractions.
    public init(endpoint: RemoteCacheEndpoint, credentials: RemoteCacheCredentials, timeout: Duration = .seconds(10),
                connections: Int = 8) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.timeout = .seconds(max(1, (timeout + .milliseconds(999)).components.seconds))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = self.timeout.inSeconds
        configuration.timeoutIntervalForResource = self.timeout.inSeconds * 10
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public var displayName: String { endpoint.displayName }

    public func get(_ store: RemoteStore, _ digest: Digest) async throws -> Data? {
        let (data, status) = try await send("GET", endpoint.url(store, digest), body: nil)
        switch status {
        case 200: return data
        case 404: return nil
        default: throw failure(status: status, method: "GET")
        }
    }

    public func put(_ store: RemoteStore, _ digest: Digest, _ data: Data) async throws {
        let (_, status) = try await send("PUT", endpoint.url(store, digest), body: data)
        guard (200..<300).contains(status) else { throw failure(status: status, method: "PUT") }
    }

    private func send(_ method: String, _ url: URL, body: Data?) async throws -> (Data, Int) {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout.inSeconds)
        request.httpMethod = method
        for (name, value) in credentials.headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (data, response): (Data, URLResponse)
            if let body {
                request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
                (data, response) = try await session.upload(for: request, from: body)
            } else {
                (data, response) = try await session.data(for: request)
            }
            guard let http = response as? HTTPURLResponse else { throw RemoteCacheError("not an HTTP response") }
            return (data, http.statusCode)
        } catch let error as URLError {
            throw try transportFailure(error)
        }
    }

    /// What a status that is neither success nor a miss means, and the fix.
    private func failure(status: Int, method: String) -> RemoteCacheError {
        let host = endpoint.url.host ?? "the server"
        let meaning = switch status {
        case 401, 403:
            "not authorised; check the credentials for \(host) (~/.netrc or \(RemoteCacheCredentials.headerVariable)); "
                + (credentials.headers.isEmpty ? "none were found" : "those sent came from \(credentials.source)")
        case 405 where method == "PUT":
            "the server does not accept uploads (nginx needs dav_methods PUT); read only with --remote-cache-mode read"
        case 413: "the object is larger than the server accepts (nginx: client_max_body_size)"
        case 507: "the server is full"
        case 500..<600: "server error"
        default: "unexpected answer"
        }
        return RemoteCacheError("\(method) answered HTTP \(status): \(meaning)")
    }

    private func transportFailure(_ error: URLError) throws -> RemoteCacheError {
        switch error.code {
        case .cancelled: throw CancellationError()
        case .timedOut: return RemoteCacheError("no answer within \(timeout.formattedSeconds) s")
        case .cannotConnectToHost: return RemoteCacheError("connection refused")
        case .cannotFindHost, .dnsLookupFailed: return RemoteCacheError("host \(endpoint.url.host ?? "") not found")
        default:
            let reason = (error as NSError).userInfo[NSLocalizedDescriptionKey] as? String
            return RemoteCacheError(reason ?? "network error \(error.code.rawValue)")
        }
    }
}
