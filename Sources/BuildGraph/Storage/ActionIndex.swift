import Foundation

/// What one unit's run produced, and from what: the action cache entry.
struct ActionRecord: Equatable, Sendable {
    var key: Digest
    var unit: String
    var kind: String
    var version: Int
    var parameters: Digest
    var sharedParameters: Digest
    /// The encoded input map, decoded only when `explain` asks: steps reading
    /// hundreds of inputs would otherwise dominate loading the index.
    private var encodedInputs: LineFormat.Field
    var outputs: [String: Digest]
    /// Set when this run was a partial rerun of a batch (some members forced,
    /// the rest frozen): the clean key it stands in for. Its own `key` names
    /// the frozen partners' outputs, so it never lands under a clean build's key.
    var base: Digest?

    var inputs: [String: Digest] { LineFormat.decodeMap(encodedInputs) ?? [:] }

    var line: String {
        LineFormat.seal(
            [
                "R", key.hex, LineFormat.escape(unit), LineFormat.escape(kind), String(version),
                parameters.hex, sharedParameters.hex, String(decoding: encodedInputs, as: UTF8.self), LineFormat.encodeMap(outputs),
            ] + (base.map { [$0.hex] } ?? []))
    }

    init(
        key: Digest, unit: String, kind: String, version: Int, parameters: Digest, sharedParameters: Digest,
        inputs: [String: Digest], outputs: [String: Digest], base: Digest? = nil
    ) {
        self.key = key
        self.base = base
        self.unit = unit
        self.kind = kind
        self.version = version
        self.parameters = parameters
        self.sharedParameters = sharedParameters
        encodedInputs = Array(LineFormat.encodeMap(inputs).utf8)[...]
        self.outputs = outputs
    }

    init?(line: LineFormat.Field) {
        guard let f = LineFormat.open(line), f.count == 9 || f.count == 10, f[f.startIndex].elementsEqual("R".utf8),
            let key = LineFormat.digest(f[1]), let version = LineFormat.int(f[4]),
            let parameters = LineFormat.digest(f[5]), let shared = LineFormat.digest(f[6]),
            let outputs = LineFormat.decodeMap(f[8])
        else { return nil }
        self.key = key
        unit = LineFormat.string(f[2])
        kind = LineFormat.string(f[3])
        self.version = version
        self.parameters = parameters
        sharedParameters = shared
        encodedInputs = f[7]
        self.outputs = outputs
        if f.count == 10 {
            guard let base = LineFormat.digest(f[9]) else { return nil }
            self.base = base
        }
    }
}

/// The action index: key → record, in one append-only file loaded once per
/// build (so a no-op build of thousands of steps reads one file), compacted
/// when it has grown well past its live records. A record is appended only
/// after its outputs are in the store, so a crash never points at nothing;
/// a record whose outputs later went missing is cancelled by a tombstone line
/// (`F key`), so the next build does not trust it again.
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
            if let record = ActionRecord(line: line) {
                byKey[record.key] = record
                latestByUnit[record.unit] = record
            } else if let key = Self.tombstoneKey(line) {
                byKey[key] = nil
            }
        }
    }

    private static func tombstone(_ key: Digest) -> String { LineFormat.seal(["F", key.hex]) }

    private static func tombstoneKey(_ line: LineFormat.Field) -> Digest? {
        guard let f = LineFormat.open(line), f.count == 2, f[f.startIndex].elementsEqual("F".utf8) else { return nil }
        return LineFormat.digest(f[f.startIndex + 1])
    }

    func record(_ record: ActionRecord) throws {
        try fileSystem.createDirectory(parentPath(path))
        try fileSystem.append(path, Data(((endsMidLine ? "\n" : "") + record.line).utf8))
        endsMidLine = false
        lineCount += 1
        byKey[record.key] = record
        latestByUnit[record.unit] = record
    }

    /// Forgets the records that produced any of `digests` (found missing or
    /// corrupt), on disk too, so their steps run again in this build and in
    /// any later one, even if this build stops first. The latest record of
    /// each unit stays known to `explain`. Returns how many were forgotten.
    @discardableResult
    func forget(producing digests: Set<Digest>) throws -> Int {
        let doomed = byKey.values.filter { $0.outputs.values.contains(where: digests.contains) }.map(\.key).sorted()
        guard !doomed.isEmpty else { return 0 }
        try fileSystem.createDirectory(parentPath(path))
        try fileSystem.append(path, Data(((endsMidLine ? "\n" : "") + doomed.map(Self.tombstone).joined()).utf8))
        endsMidLine = false
        lineCount += doomed.count
        for key in doomed { byKey[key] = nil }
        return doomed.count
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
        // A forgotten latest record is kept for `explain`, followed by its tombstone.
        let text =
            older.map(\.line).joined()
            + latest.map { byKey[$0.key] == nil ? $0.line + Self.tombstone($0.key) : $0.line }.joined()
        try fileSystem.createDirectory(parentPath(path))
        try fileSystem.writeAtomically(path, Data(text.utf8))
        lineCount = older.count + latest.count + latest.filter { byKey[$0.key] == nil }.count
        endsMidLine = false
    }
}
