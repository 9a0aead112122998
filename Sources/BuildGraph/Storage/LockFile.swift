import Foundation

/// `lutbuild.lock`: what was built from what, committed next to the project
/// file. JSON with sorted keys, relative paths and no timestamps, so the same
/// project gives the same bytes on every machine.
public struct LockFile: Equatable, Sendable {
    public struct LockedStep: Equatable, Sendable {
        public var key: Digest
        public var outputs: [String: Digest]
        public init(key: Digest, outputs: [String: Digest]) {
            self.key = key
            self.outputs = outputs
        }
    }

    public static let formatVersion = 1

    /// Unit id (a step id or `batch/member`) → key and output digests.
    public var steps: [String: LockedStep] = [:]
    /// Project-relative published path → digest of its content.
    public var published: [String: Digest] = [:]
    /// Project-relative source path → digest.
    public var sources: [String: Digest] = [:]

    public init(steps: [String: LockedStep] = [:], published: [String: Digest] = [:], sources: [String: Digest] = [:]) {
        self.steps = steps
        self.published = published
        self.sources = sources
    }

    /// Deterministic JSON: sorted keys, two-space indent, trailing newline.
    public func encoded() -> Data {
        var out = "{\n  \"format\": \(Self.formatVersion),\n"
        out += "  \"published\": " + Self.object(published.mapValues { Self.quote($0.hex) }, indent: 2) + ",\n"
        out += "  \"sources\": " + Self.object(sources.mapValues { Self.quote($0.hex) }, indent: 2) + ",\n"
        let stepTexts = steps.mapValues { step in
            Self.object(
                [
                    "key": Self.quote(step.key.hex),
                    "outputs": Self.object(step.outputs.mapValues { Self.quote($0.hex) }, indent: 6),
                ], indent: 4)
        }
        out += "  \"steps\": " + Self.object(stepTexts, indent: 2) + "\n}\n"
        return Data(out.utf8)
    }

    /// Parses a lock file; errors name the file and what was expected.
    public static func decode(_ data: Data, path: String) throws -> LockFile {
        func fail(_ expected: String) -> BuildError { .corruptFile(path: path, line: 1, expected: expected) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("a JSON object (delete the file and rebuild to regenerate it)")
        }
        guard root["format"] as? Int == formatVersion else { throw fail("\"format\": \(formatVersion)") }
        func digests(_ value: Any?, _ key: String) throws -> [String: Digest] {
            guard let map = value as? [String: Any] else { throw fail("\"\(key)\" to be an object") }
            return try map.mapValues { value in
                guard let text = value as? String, let digest = Digest(hex: text) else {
                    throw fail("SHA-256 hex digests in \"\(key)\"")
                }
                return digest
            }
        }
        guard let stepMap = root["steps"] as? [String: Any] else { throw fail("\"steps\" to be an object") }
        var lock = LockFile()
        lock.published = try digests(root["published"], "published")
        lock.sources = try digests(root["sources"], "sources")
        for (id, value) in stepMap {
            guard let step = value as? [String: Any], let keyText = step["key"] as? String,
                let key = Digest(hex: keyText)
            else { throw fail("a \"key\" digest for step \"\(id)\"") }
            lock.steps[id] = LockedStep(key: key, outputs: try digests(step["outputs"], "steps.\(id).outputs"))
        }
        return lock
    }

    private static func object(_ members: [String: String], indent: Int) -> String {
        if members.isEmpty { return "{}" }
        let pad = String(repeating: " ", count: indent + 2)
        let body = members.sorted { $0.key < $1.key }.map { pad + quote($0.key) + ": " + $0.value }
        return "{\n" + body.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
