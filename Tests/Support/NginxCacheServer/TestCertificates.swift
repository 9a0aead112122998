import Foundation

/// A private CA made with `openssl` at test time, and what it signed: a server
/// certificate for 127.0.0.1 and a client certificate (PEM files; keys unencrypted).
public struct TestCertificates: Sendable {
    public let authority: URL
    public let serverCertificate: URL
    public let serverKey: URL
    public let clientCertificate: URL
    public let clientKey: URL

    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
        authority = file("ca.pem")
        serverCertificate = file("server.pem")
        serverKey = file("server.key")
        clientCertificate = file("client.pem")
        clientKey = file("client.key")
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.openssl(
            ["req", "-x509"] + key + [
                "-keyout", file("ca.key").path, "-out", authority.path, "-days", "2",
                "-subj", "/CN=lutbuild test CA",
            ])
        for (name, extensions) in [
            ("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
            ("client", "extendedKeyUsage=clientAuth\n"),
        ] {
            try extensions.write(to: file("\(name).ext"), atomically: true, encoding: .utf8)
            try Self.openssl(
                ["req"] + key + [
                    "-keyout", file("\(name).key").path, "-out", file("\(name).csr").path,
                    "-subj", "/CN=\(name == "server" ? "127.0.0.1" : "lutbuild test client")",
                ])
            try Self.openssl([
                "x509", "-req", "-in", file("\(name).csr").path, "-CA", authority.path, "-CAkey", file("ca.key").path,
                "-CAcreateserial", "-out", file("\(name).pem").path, "-days", "2", "-extfile", file("\(name).ext").path,
            ])
        }
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NginxCacheServer.Failure(
                description: "openssl \(arguments.first ?? "") failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}
