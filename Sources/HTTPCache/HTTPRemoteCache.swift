import BuildGraph
import Foundation
import RemoteCacheAddress

/// A remote cache on a server that speaks the Bazel HTTP cache protocol
/// (bazel-remote, nginx with WebDAV, …): `GET`/`PUT` of `cas/<sha256>` and
/// `ac/<key>` under the base URL; 404 is a miss.
///
/// Every request, the whole transfer included, ends within `timeout`: a
/// server that never answers, trickles, or asks for credentials it will not
/// get cannot stall a build.
public final class HTTPRemoteCache: RemoteCache {
    public let endpoint: RemoteCacheEndpoint
    private let credentials: RemoteCacheCredentials
    private let timeout: Duration
    private let tls: TLSFiles
    private let client = CurlClient()

    public init(
        endpoint: RemoteCacheEndpoint, credentials: RemoteCacheCredentials, timeout: Duration = .seconds(10),
        tls: TLSFiles = TLSFiles()
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.timeout = timeout
        self.tls = tls
    }

    public var displayName: String { endpoint.displayName }

    public func get(_ store: RemoteStore, _ digest: Digest) async throws -> Data? {
        let response = try await send(.get, endpoint.url(store, digest), body: nil)
        switch response.status {
        case 200: return response.body
        case 404: return nil
        default: throw failure(response, method: "GET")
        }
    }

    public func put(_ store: RemoteStore, _ digest: Digest, _ data: Data) async throws {
        let response = try await send(.put, endpoint.url(store, digest), body: data)
        guard (200..<300).contains(response.status) else { throw failure(response, method: "PUT") }
    }

    private func send(_ method: HTTPRequest.Method, _ url: URL, body: Data?) async throws -> HTTPResponse {
        let headers = credentials.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        let request = HTTPRequest(method: method, url: url.absoluteString, headers: headers, body: body, deadline: timeout, tls: tls)
        do {
            return try await client.send(request)
        } catch let failure as TransferFailure {
            throw transportFailure(failure)
        }
    }

    /// What a status that is neither success nor a miss means, and the fix.
    private func failure(_ response: HTTPResponse, method: String) -> RemoteCacheError {
        let status = response.status
        let host = endpoint.url.host ?? "the server"
        let given =
            credentials.hasCredentials
            ? "those sent came from \(credentials.source)"
            : "none were found in --remote-header, \(RemoteCacheCredentials.headerVariable), the URL or ~/.netrc"
        let (meaning, kind): (String, RemoteCacheError.Kind) =
            switch status {
            case 401 where response.asksForCredentials || !credentials.hasCredentials:
                ("the server asks for credentials; none or wrong ones were given for \(host) (\(given))", .unusable)
            case 401, 403:
                ("not authorised; check the credentials for \(host) (\(given))", .unusable)
            case 405 where method == "PUT":
                ("the server does not accept uploads (nginx needs dav_methods PUT); read only with [cache] mode = \"read-only\"", .unusable)
            case 413: ("the object is larger than the server accepts (nginx: client_max_body_size)", .badTransfer)
            case 507: ("the server is full", .unusable)
            case 408, 429, 500..<600: ("server error", .serverFailure)
            default: ("unexpected answer", .unusable)
            }
        return RemoteCacheError("\(method) answered HTTP \(status): \(meaning)", kind: kind)
    }

    private func transportFailure(_ failure: TransferFailure) -> RemoteCacheError {
        switch failure {
        case .timedOut: RemoteCacheError("no answer within \(timeout.formattedSeconds) s", kind: .serverFailure)
        case .refused: RemoteCacheError("connection refused", kind: .unusable)
        case .hostNotFound: RemoteCacheError("host \(endpoint.url.host ?? "") not found", kind: .unusable)
        case .broken(let detail): RemoteCacheError("the transfer broke off (\(detail))", kind: .badTransfer)
        case .tls(let code, let detail): RemoteCacheError(Self.tlsMeaning(code: code, detail: detail), kind: .unusable)
        case .other(let detail): RemoteCacheError(detail, kind: .serverFailure)
        }
    }

    private static func tlsMeaning(code: Int, detail: String) -> String {
        switch code {
        case 60:
            "TLS: the server's certificate is not trusted (\(detail)); name the CA that signed it with [cache] tls_ca_file,"
                + " --remote-cache-ca or SSL_CERT_FILE"
        case 77: "TLS: cannot read the CA file (\(detail))"
        case 58: "TLS: cannot use the client certificate or key (\(detail))"
        default:
            "TLS handshake failed (\(detail)); if the server wants a client certificate, give it with [cache]"
                + " tls_client_certificate and tls_client_key"
        }
    }
}
