import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real nginx serving the Bazel HTTP cache layout over WebDAV, set up as
/// docs/remote-cache.md describes, on a free loopback port with its own
/// configuration and temporary directory; for tests and benchmarks.
///
/// Locations: `/cache/` (read-write), `/failing/` (every request answers 500),
/// `/full/` (reads work, uploads answer 507), `/private/` (needs basic
/// authentication as `user`/`password`, answers a bare 401 otherwise),
/// `/basic/` (the same with nginx's `auth_basic`, whose 401 carries
/// `WWW-Authenticate`). With `tls`, the same locations over HTTPS on
/// `tlsPort`, with a certificate from a private CA made at start
/// (`certificates`), plus `/mtls/`, which needs a client certificate from that CA.
public final class NginxCacheServer: @unchecked Sendable {
    public static let user = "ci"
    public static let password = "s3cret-token"

    public let directory: URL
    public let port: Int
    /// The HTTPS port (with `tls`), else nil.
    public let tlsPort: Int?
    /// The private CA and the certificates it signed (with `tls`).
    public let certificates: TestCertificates?
    private let process: Process

    public var url: String { "http://127.0.0.1:\(port)/cache/" }
    public var failingURL: String { "http://127.0.0.1:\(port)/failing/" }
    public var fullURL: String { "http://127.0.0.1:\(port)/full/" }
    public var privateURL: String { "http://127.0.0.1:\(port)/private/" }
    public var basicAuthURL: String { "http://127.0.0.1:\(port)/basic/" }
    /// `https://127.0.0.1:<tlsPort>/<location>/`.
    public func tlsURL(_ location: String = "cache") -> String { "https://127.0.0.1:\(tlsPort ?? 0)/\(location)/" }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(tls: Bool = false) throws {
        guard let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw Failure(description: "nginx is not installed; run scripts/ensure-deps.sh")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-nginx-\(UUID().uuidString)")
        for sub in ["root", "tmp", "logs"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try "\(Self.user):{PLAIN}\(Self.password)\n".write(
            to: directory.appendingPathComponent("htpasswd"), atomically: true, encoding: .utf8)
        certificates = tls ? try TestCertificates(directory: directory.appendingPathComponent("tls")) : nil
        var lastError = ""
        for _ in 0..<5 {
            let port = try Self.freePort()
            let tlsPort = tls ? try Self.freePort() : nil
            let config = directory.appendingPathComponent("nginx-\(port).conf")
            try Self.configuration(directory: directory.path, port: port, tlsPort: tlsPort, certificates: certificates)
                .write(to: config, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: nginx)
            process.arguments = ["-e", directory.path + "/logs/error.log", "-p", directory.path, "-c", config.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if Self.waitUntilListening(port: port, process: process),
                tlsPort.map({ Self.waitUntilListening(port: $0, process: process) }) ?? true
            {
                self.port = port
                self.tlsPort = tlsPort
                self.process = process
                return
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            lastError = (try? String(contentsOf: directory.appendingPathComponent("logs/error.log"), encoding: .utf8)) ?? ""
        }
        try? FileManager.default.removeItem(at: directory)
        throw Failure(description: "nginx did not start: \(lastError)")
    }

    /// Stops nginx and removes its directory. SIGKILL: a child started from a
    /// thread that blocks SIGTERM (as the test runner's do) inherits the block.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Where the server keeps the entry `kind/hex` (`cas/…`, `ac/…`) of a location.
    public func file(_ location: String = "cache", _ kind: String, _ hex: String) -> URL {
        directory.appendingPathComponent("root/\(location)/\(kind)/\(hex)")
    }

    /// The hex names of every stored entry of `kind` under `/cache/`.
    public func entries(_ kind: String, location: String = "cache") -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("root/\(location)/\(kind)").path))?.sorted()
            ?? []
    }

    static func configuration(directory: String, port: Int, tlsPort: Int? = nil, certificates: TestCertificates? = nil) -> String {
        let basic = Data("\(user):\(password)".utf8).base64EncodedString()
        let dav = """
                root \(directory)/root;
                dav_methods PUT;
                create_full_put_path on;
                client_max_body_size 1g;
            """
        let locations = """
                    location /cache/ {
                \(dav)
                    }
                    location /failing/ { return 500; }
                    location /full/ {
                        if ($request_method = PUT) { return 507; }
                \(dav)
                    }
                    location /private/ {
                        if ($http_authorization != "Basic \(basic)") { return 401; }
                \(dav)
                    }
                    location /basic/ {
                        auth_basic "lutbuild cache";
                        auth_basic_user_file \(directory)/htpasswd;
                \(dav)
                    }
            """
        let tlsServer =
            if let tlsPort, let certificates {
                """
                    server {
                        listen 127.0.0.1:\(tlsPort) ssl;
                        ssl_certificate \(certificates.serverCertificate.path);
                        ssl_certificate_key \(certificates.serverKey.path);
                        ssl_client_certificate \(certificates.authority.path);
                        ssl_verify_client optional;
                \(locations)
                        location /mtls/ {
                            if ($ssl_client_verify != SUCCESS) { return 403; }
                    \(dav)
                        }
                    }
                """
            } else { "" }
        return """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(directory)/nginx.pid;
            error_log \(directory)/logs/error.log;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(directory)/tmp/body;
                proxy_temp_path \(directory)/tmp/proxy;
                fastcgi_temp_path \(directory)/tmp/fastcgi;
                uwsgi_temp_path \(directory)/tmp/uwsgi;
                scgi_temp_path \(directory)/tmp/scgi;
                server {
                    listen 127.0.0.1:\(port);
            \(locations)
                }
            \(tlsServer)
            }
            """
    }

    /// A port nothing listens on right now (the kernel's pick).
    public static func freePort() throws -> Int {
        let socket = try BoundSocket()
        defer { socket.close() }
        return socket.port
    }

    private static func waitUntilListening(port: Int, process: Process) -> Bool {
        for _ in 0..<100 {
            if !process.isRunning { return false }
            if BoundSocket.connects(port: port) { return true }
            usleep(50_000)
        }
        return false
    }
}

/// A TCP socket bound to a free loopback port. Listening without ever
/// accepting, it is a server that never answers (for timeout tests).
public final class BoundSocket: @unchecked Sendable {
    private var descriptor: Int32
    public let port: Int

    public init(listening: Bool = false) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw NginxCacheServer.Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound, !listening || listen(descriptor, 64) == 0 else {
            Glibc.close(descriptor)
            throw NginxCacheServer.Failure(description: "cannot bind a loopback port")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    public func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// Hands the socket over to the caller, who closes it.
    func takeDescriptor() -> Int32 {
        defer { descriptor = -1 }
        return descriptor
    }

    deinit { close() }

    public static func connects(port: Int) -> Bool {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
