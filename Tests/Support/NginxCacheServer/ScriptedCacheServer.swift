import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small Bazel HTTP cache on a free loopback port that misbehaves on
/// purpose, for what nginx cannot be made to do: trickle, answer garbage,
/// break off a download, take its time over uploads. It keeps what is `PUT`
/// in memory and serves it back (404 when absent). It stops by itself after
/// `lifetime`, so a test that forgets it leaves nothing running.
public final class ScriptedCacheServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// A well-behaved cache.
        case normal
        /// Every GET answers 200 with bytes that are no cache entry; uploads are accepted.
        case garbage
        /// Every GET answers 200 and a 1000-byte length, then sends one byte per `interval`.
        case trickle(interval: Duration)
        /// Uploads are answered after `delay`; GETs at once.
        case slowUploads(delay: Duration)
    }

    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)/" }

    private struct State {
        var behaviour: Behaviour
        var entries: [String: Data] = [:]
        /// How many of the next `cas/` downloads send half their bytes and close.
        var truncatedDownloads = 0
        var requests: [String] = []
        /// The header lines of every request, in order.
        var headers: [[String]] = []
        var stopped = false
    }

    private let state: Mutex<State>
    private let listener: Int32

    public init(_ behaviour: Behaviour = .normal, lifetime: Duration = .seconds(120)) throws {
        let socket = try BoundSocket(listening: true)
        port = socket.port
        listener = socket.takeDescriptor()
        state = Mutex(State(behaviour: behaviour))
        Thread.detachNewThread { [self] in acceptLoop() }
        DispatchQueue.global().asyncAfter(deadline: .now() + Double(lifetime.components.seconds)) { [self] in stop() }
    }

    public var behaviour: Behaviour {
        get { state.withLock { $0.behaviour } }
        set { state.withLock { $0.behaviour = newValue } }
    }

    /// Breaks off the next `count` downloads of `cas/` objects halfway.
    public func truncateNextDownloads(_ count: Int) { state.withLock { $0.truncatedDownloads = count } }

    /// `METHOD path` of every request so far.
    public var requests: [String] { state.withLock { $0.requests } }

    /// The header lines (`Name: value`) of every request so far.
    public var requestHeaders: [[String]] { state.withLock { $0.headers } }

    /// The stored entries by path (`ac/<hex>`, `cas/<hex>`).
    public var entries: [String: Data] { state.withLock { $0.entries } }

    public func stop() {
        let first = state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        if first {
            shutdown(listener, Int32(SHUT_RDWR))
            Glibc.close(listener)
        }
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    /// Answers requests on one connection until the client closes it (or the server stops).
    private func serve(_ connection: Int32) {
        defer { Glibc.close(connection) }
        var buffer = Data()
        while !state.withLock({ $0.stopped }) {
            guard let headerEnd = readUntilHeaderEnd(connection, &buffer) else { return }
            let head = String(decoding: buffer.prefix(headerEnd), as: UTF8.self)
            buffer = Data(buffer.dropFirst(headerEnd + 4))
            let lines = head.components(separatedBy: "\r\n")
            let parts = lines[0].split(separator: " ")
            guard parts.count >= 2 else { return }
            let method = String(parts[0]), path = String(parts[1].drop { $0 == "/" })
            let length =
                lines.dropFirst().compactMap { line -> Int? in
                    let pair = line.split(separator: ":", maxSplits: 1)
                    return pair.count == 2 && pair[0].lowercased() == "content-length"
                        ? Int(pair[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
            while buffer.count < length {
                guard let more = receive(connection) else { return }
                buffer.append(more)
            }
            let body = Data(buffer.prefix(length))
            buffer = Data(buffer.dropFirst(length))
            state.withLock { $0.headers.append(Array(lines.dropFirst())) }
            guard respond(connection, method: method, path: path, body: body) else { return }
        }
    }

    /// Answers one request; false when the connection must close.
    private func respond(_ connection: Int32, method: String, path: String, body: Data) -> Bool {
        let (behaviour, stored, truncate) = state.withLock { state -> (Behaviour, Data?, Bool) in
            state.requests.append("\(method) /\(path)")
            var truncate = false
            if method == "GET", path.hasPrefix("cas/"), state.entries[path] != nil, state.truncatedDownloads > 0 {
                state.truncatedDownloads -= 1
                truncate = true
            }
            return (state.behaviour, state.entries[path], truncate)
        }
        if method == "PUT" {
            if case .slowUploads(let delay) = behaviour {
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            }
            state.withLock { $0.entries[path] = body }
            return send(connection, status: "200 OK", body: Data())
        }
        switch behaviour {
        case .garbage:
            return send(connection, status: "200 OK", body: Data("<html>not a cache</html>".utf8))
        case .trickle(let interval):
            guard write(connection, Data("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".utf8)) else { return false }
            for _ in 0..<1000 {
                Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
                guard !state.withLock({ $0.stopped }), write(connection, Data("x".utf8)) else { return false }
            }
            return true
        case .normal, .slowUploads:
            guard let stored else { return send(connection, status: "404 Not Found", body: Data()) }
            if truncate {
                _ = write(
                    connection, Data("HTTP/1.1 200 OK\r\nContent-Length: \(stored.count)\r\n\r\n".utf8) + stored.prefix(stored.count / 2))
                return false
            }
            return send(connection, status: "200 OK", body: stored)
        }
    }

    private func send(_ connection: Int32, status: String, body: Data) -> Bool {
        write(connection, Data("HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    private func write(_ connection: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    private func receive(_ connection: Int32) -> Data? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(connection, &chunk, chunk.count, 0)
        return count > 0 ? Data(chunk[..<count]) : nil
    }

    private func readUntilHeaderEnd(_ connection: Int32, _ buffer: inout Data) -> Int? {
        let marker = Data("\r\n\r\n".utf8)
        while true {
            if let range = buffer.range(of: marker) { return buffer.distance(from: buffer.startIndex, to: range.lowerBound) }
            guard buffer.count < 65536, let more = receive(connection) else { return nil }
            buffer.append(more)
        }
    }
}
