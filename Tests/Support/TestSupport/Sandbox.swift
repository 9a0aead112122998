import Foundation

/// A fresh folder under the system's temporary directory for one test (a
/// temporary project, a tool's run directory, data files), removed by
/// `remove()`: the one way the tests make temporary folders.
public struct Sandbox: Sendable {
    public let url: URL

    /// `label` names the folder (`lutbuild-<label>-<uuid>`), so a leftover one says which test made it.
    public init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative).path) }

    /// Writes `bytes` to `relative` (folders made as needed) and returns its URL.
    @discardableResult
    public func write(_ relative: String, bytes: [UInt8]) throws -> URL {
        let file = path(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }

    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> URL { try write(relative, bytes: Array(text.utf8)) }

    public func read(_ relative: String) throws -> String { try String(contentsOf: path(relative), encoding: .utf8) }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
