import Foundation

/// What one unit's run produced, and from what: the action cache entry.
struct ActionRecord: Equatable, Sendable {
    var key: Digest
    var unit: String
    var kind: String
    var version: Int
    var parameters: Digest
    var sharedParameters: Digest
    var inputs: [String: Digest]
    var outputs: [String: Digest]

    var line: String {
        LineFormat.seal([
            "R", key.hex, LineFormat.escape(unit), LineFormat.escape(kind), String(version),
            parameters.hex, sharedParameters.hex, LineFormat.encodeMap(inputs), LineFormat.encodeMap(outputs),
        ])
    }

    init(key: Digest, unit: String, kind: String, version: Int, parameters: Digest, sharedParameters: Digest,
         inputs: [String: Digest], outputs: [String: Digest]) {
        self.key = key
        self.unit = unit
        self.kind = kind
        self.version = version
        self.parameters = parameters
        self.sharedParameters = sharedParameters
        self.inputs = inputs
        self.outputs = outputs
    }

    init?(line: Substring) {
        guard let f = LineFormat.open(line), f.count == 9, f[0] == "R",
              let key = Digest(hex: String(f[1])), let version = Int(f[4]),
              let parameters = Digest(hex: String(f[5])), let shared = Digest(hex: String(f[6])),
              let inputs = LineFormat.decodeMap(f[7]), let outputs = LineFormat.decodeMap(f[8]) else { return nil }
        self.init(key: key, unit: LineFormat.unescape(f[2]), kind: LineFormat.unescape(f[3]), version: version,
                  parameters: parameters, sharedParameters: shared, inputs: inputs, outputs: outputs)
    }
}

/// The action index: key → record, in one append-only file loaded once per
/// build (so a no-op build of thousands of steps reads one file), compacted
/// when it has grown well past its live records. A record is appended only
/// after its outputs are in the store, so a crash never points at nothing.
final class ActionIndex {
    private let fileSystem: any FileSystem
    private let path: String
    private(set) var byKey: [Digest: ActionRecord] = [:]
    /// The latest record of each unit, so `explain` can say what changed.
    private(set) var latestByUnit: [String: ActionRecord] = [:]
    private var lineCount = 0
    /// A crash can leave the file ending mid-line; the next append starts a new line.
    private var endsMidLine = false

    init(fileSystem: any FileSystem, path: String) {
        self.fileSystem = fileSystem
        self.path = path
        guard let data = try? fileSystem.read(path) else { return }
        endsMidLine = data.last.map { $0 != UInt8(ascii: "\n") } ?? false
        for line in LineFormat.lines(data) {
            lineCount += 1
            guard let record = ActionRecord(line: line) else { continue }
            byKey[record.key] = record
            latestByUnit[record.unit] = record
        }
    }

    func record(_ record: ActionRecord) throws {
        try fileSystem.createDirectory(parentPath(path))
        try fileSystem.append(path, Data(((endsMidLine ? "\n" : "") + record.line).utf8))
        endsMidLine = false
        lineCount += 1
        byKey[record.key] = record
        latestByUnit[record.unit] = record
    }

    /// Drops records for which `keep` is false and rewrites the file.
    func retain(where keep: (ActionRecord) -> Bool) throws {
        byKey = byKey.filter { keep($0.value) }
        latestByUnit = latestByUnit.filter { keep($0.value) }
        try rewrite()
    }

    /// Rewrites the file when most of its lines are superseded or torn.
    func compactIfNeeded() throws {
        if lineCount > 2 * byKey.count + 64 { try rewrite() }
    }

    private func rewrite() throws {
        // Latest records go last so they win again on reload.
        let latestKeys = Set(latestByUnit.values.map(\.key))
        let older = byKey.values.filter { !latestKeys.contains($0.key) }.sorted { $0.key < $1.key }
        let latest = latestByUnit.values.sorted { $0.unit < $1.unit }
        let text = (older + latest).map(\.line).joined()
        try fileSystem.createDirectory(parentPath(path))
        try fileSystem.writeAtomically(path, Data(text.utf8))
        lineCount = older.count + latest.count
        endsMidLine = false
    }
}
