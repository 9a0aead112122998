/// Whether a build may write to the remote cache.
public enum RemoteCacheMode: String, Sendable, CaseIterable, Codable {
    /// Reuse what others uploaded, upload nothing (e.g. laptops reading what CI wrote).
    case readOnly = "read-only"
    /// Reuse and upload.
    case readWrite = "read-write"

    /// The mode a user wrote: `read-only`, `read-write`, or `read` (the name
    /// `--remote-cache-mode` first had) for `read-only`.
    public init?(named name: String) {
        if name == "read" { self = .readOnly } else if let mode = RemoteCacheMode(rawValue: name) { self = mode } else { return nil }
    }

    /// The accepted names, for messages.
    public static var names: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ") }
}
