import Diagnostics
import BuildGraph
import CCurl
import Foundation
import Synchronization

/// Files that make a TLS connection trustworthy both ways: the CA that signed
/// the server's certificate (replacing the system's list, as curl's `--cacert`
/// and Bazel's `--tls_certificate` do), and the client's own certificate and key.
public struct TLSFiles: Sendable, Equatable {
    public var certificateAuthority: String?
    public var clientCertificate: String?
    public var clientKey: String?

    public init(certificateAuthority: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

/// One HTTP request of the cache protocol.
struct HTTPRequest: Sendable {
    enum Method: String, Sendable { case get = "GET", put = "PUT" }
    var method: Method
    var url: String
    /// `Name: value` lines.
    var headers: [String]
    var body: Data?
    /// The whole transfer (connecting, sending, receiving) ends by then.
    var deadline: Duration
    var tls: TLSFiles
}

struct HTTPResponse: Sendable {
    var status: Int
    var body: Data
    /// The answer carried `WWW-Authenticate`: the server asks for credentials.
    var asksForCredentials: Bool
}

/// Why a request got no HTTP answer.
enum TransferFailure: Error, Equatable {
    case timedOut
    case refused
    case hostNotFound
    /// The connection broke in the middle of the answer (a truncated download).
    case broken(String)
    /// The TLS handshake failed or a TLS file cannot be used.
    case tls(code: Int, String)
    case other(String)
}

/// Runs HTTP requests with libcurl, each on its own thread (libcurl blocks),
/// under a deadline that no server behaviour can stretch: libcurl's own
/// whole-transfer timeout, and a watchdog that answers "timed out" a second
/// later even if libcurl has not returned. Idle handles are kept, so
/// connections are reused between requests.
final class CurlClient: Sendable {
    private let idleHandles = Mutex<[EasyHandle]>([])
    private static let keptHandles = 16
    private static let initialised: Bool = lutbuild_curl_global_init() == CURLE_OK

    init() { _ = Self.initialised }

    deinit {
        for handle in idleHandles.withLock({ $0 }) { curl_easy_cleanup(handle.raw) }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = Transfer(request)
        let outcome = Outcome()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                outcome.attach(continuation)
                Thread.detachNewThread { [self] in
                    let handle = idleHandles.withLock { $0.popLast() } ?? EasyHandle()
                    let result = transfer.perform(on: handle.raw)
                    curl_easy_reset(handle.raw)
                    idleHandles.withLock { if $0.count < Self.keptHandles { $0.append(handle) } else { curl_easy_cleanup(handle.raw) } }
                    outcome.resume(with: result.mapError { $0 as any Error })
                }
                // Weak: a finished transfer's bytes are not kept until the watchdog fires.
                let watchdog = request.deadline + .seconds(1)
                DispatchQueue.global().asyncAfter(deadline: .now() + watchdog.inSeconds) { [weak transfer] in
                    transfer?.abort()
                    outcome.resume(with: .failure(TransferFailure.timedOut))
                }
            }
        } onCancel: {
            transfer.abort()
            outcome.resume(with: .failure(CancellationError()))
        }
    }
}

/// A libcurl easy handle, used by one thread at a time.
private final class EasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    init() { raw = curl_easy_init()! }
}

/// Resumes its continuation once, with whichever result comes first; a result
/// that comes before the continuation is attached is kept for it.
private final class Outcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<HTTPResponse, any Error>?
        var early: Result<HTTPResponse, any Error>?
        var done = false
    }
    private let state = Mutex(State())

    func attach(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
        let early: Result<HTTPResponse, any Error>? = state.withLock { state in
            if let early = state.early {
                state.early = nil
                return early
            }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func resume(with result: Result<HTTPResponse, any Error>) {
        let continuation: CheckedContinuation<HTTPResponse, any Error>? = state.withLock { state in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = result
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(with: result)
    }
}

/// One request's buffers, shared with libcurl's callbacks through a context pointer.
private final class Transfer: @unchecked Sendable {
    let request: HTTPRequest
    /// Written by libcurl's thread only, read after `curl_easy_perform` returns.
    var received = Data()
    var sentBytes = 0
    var asksForCredentials = false
    private let aborted = Atomic(false)

    init(_ request: HTTPRequest) { self.request = request }

    /// Makes libcurl stop at its next progress callback (at least once a second).
    func abort() { aborted.store(true, ordering: .relaxed) }

    var isAborted: Bool { aborted.load(ordering: .relaxed) }

    func perform(on handle: UnsafeMutableRawPointer) -> Result<HTTPResponse, TransferFailure> {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let milliseconds = Int(request.deadline.inSeconds * 1000)
        var headers: UnsafeMutablePointer<curl_slist>?
        // libcurl's default "Expect: 100-continue" would wait for the server before each large upload.
        for line in request.headers + ["Expect:"] + (request.body == nil ? [] : ["Content-Type: application/octet-stream"]) {
            headers = curl_slist_append(headers, line)
        }
        defer { curl_slist_free_all(headers) }
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        defer { errorText.deallocate() }
        errorText[0] = 0

        lutbuild_curl_set_string(handle, CURLOPT_URL, request.url)
        lutbuild_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        lutbuild_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        lutbuild_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
        lutbuild_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        lutbuild_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorText)
        lutbuild_curl_set_pointer(handle, CURLOPT_HTTPHEADER, headers)
        lutbuild_curl_set_data_callback(
            handle, CURLOPT_WRITEFUNCTION,
            { buffer, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                guard let buffer else { return 0 }
                transfer.received.append(UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: size * count)
                return size * count
            })
        lutbuild_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        lutbuild_curl_set_data_callback(
            handle, CURLOPT_HEADERFUNCTION,
            { buffer, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                if let buffer {
                    let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: size * count), as: UTF8.self)
                    if line.lowercased().hasPrefix("www-authenticate:") { transfer.asksForCredentials = true }
                }
                return size * count
            })
        lutbuild_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        lutbuild_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        lutbuild_curl_set_progress_callback(
            handle,
            { context, _, _, _, _ in
                Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue().isAborted ? 1 : 0
            })
        lutbuild_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)
        if let body = request.body {
            lutbuild_curl_set_long(handle, CURLOPT_UPLOAD, 1)
            lutbuild_curl_set_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(body.count))
            lutbuild_curl_set_data_callback(
                handle, CURLOPT_READFUNCTION,
                { buffer, size, count, context in
                    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                    guard let buffer, let body = transfer.request.body else { return 0 }
                    let length = min(size * count, body.count - transfer.sentBytes)
                    body.withUnsafeBytes { bytes in
                        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + transfer.sentBytes, byteCount: length)
                    }
                    transfer.sentBytes += length
                    return length
                })
            lutbuild_curl_set_pointer(handle, CURLOPT_READDATA, context)
        } else {
            lutbuild_curl_set_long(handle, CURLOPT_HTTPGET, 1)
            // As URLSession did: a gateway may redirect reads (curl drops credentials on another host).
            lutbuild_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 1)
            lutbuild_curl_set_long(handle, CURLOPT_MAXREDIRS, 5)
            lutbuild_curl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        }
        if let file = request.tls.certificateAuthority { lutbuild_curl_set_string(handle, CURLOPT_CAINFO, file) }
        if let file = request.tls.clientCertificate { lutbuild_curl_set_string(handle, CURLOPT_SSLCERT, file) }
        if let file = request.tls.clientKey { lutbuild_curl_set_string(handle, CURLOPT_SSLKEY, file) }

        let code = curl_easy_perform(handle)
        let detail = errorText[0] != 0 ? String(cString: errorText) : String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OK:
            var status = 0
            lutbuild_curl_response_code(handle, &status)
            return .success(HTTPResponse(status: status, body: received, asksForCredentials: asksForCredentials))
        case CURLE_OPERATION_TIMEDOUT, CURLE_ABORTED_BY_CALLBACK: return .failure(.timedOut)
        case CURLE_COULDNT_CONNECT: return .failure(.refused)
        case CURLE_COULDNT_RESOLVE_HOST: return .failure(.hostNotFound)
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING: return .failure(.broken(detail))
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CONNECT_ERROR,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CIPHER:
            return .failure(.tls(code: Int(code.rawValue), detail))
        default: return .failure(.other(detail))
        }
    }
}

/// A transfer failed (exit 1).
extension TransferFailure: UserFacingError {
    var userErrors: [UserError] { [UserError("remote cache transfer failed: \(self)")] }
}
