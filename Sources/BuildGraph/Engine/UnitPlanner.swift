import Foundation

/// Identifies one output of one step.
struct OutputRef: Hashable, Sendable {
    var step: String
    var name: String
}

/// Decides, for one unit, its input digests, its key and whether a stored
/// result can be reused; shared by `build`, `explain` and `status`.
struct UnitPlanner {
    let store: ObjectStore
    let index: ActionIndex
    let statCache: StatCache
    let force: @Sendable (String) -> Bool
    /// `status` also trusts the committed lock file (a fresh clone has no cache).
    let lockFallback: LockFile?
    /// Whether reuse requires the stored objects to exist. A build skips the
    /// check (thousands of `stat`s): a missing object is found when read, and
    /// its producer is then rebuilt (see `forget`).
    var checksObjects = true

    enum Resolution {
        case known([String: Digest])
        /// Some input comes from a unit that will run first: (input, producer step).
        case pending([(input: String, producer: String)])
    }

    func resolveInputs(
        _ unit: StepGraph.Unit, outputs: [OutputRef: Digest],
        sources: inout [String: Digest]
    ) throws -> Resolution {
        var digests: [String: Digest] = [:]
        var pending: [(input: String, producer: String)] = []
        for (name, input) in unit.inputs.sorted(by: { $0.key < $1.key }) {
            switch input {
            case .source(let path):
                guard let digest = try statCache.digest(of: path) else {
                    throw BuildError.missingSource(path: path, step: unit.id, input: name)
                }
                sources[path] = digest
                digests[name] = digest
            case .output(let step, let output):
                if let digest = outputs[OutputRef(step: step, name: output)] {
                    digests[name] = digest
                } else {
                    pending.append((name, step))
                }
            }
        }
        return pending.isEmpty ? .known(digests) : .pending(pending)
    }

    static func key(_ node: StepGraph.Node, _ unit: StepGraph.Unit, inputs: [String: Digest]) -> Digest {
        var encoder = CanonicalEncoder()
        encoder.append("lutbuild.step.v1")
        encoder.append(node.kind)
        encoder.append(node.version)
        encoder.append(node.sharedParameters)
        encoder.append(unit.member ?? "")
        encoder.append(unit.parameters)
        encoder.append(inputs.count)
        for (name, digest) in inputs.sorted(by: { $0.key < $1.key }) {
            encoder.append(name)
            encoder.append(digest.hex)
        }
        encoder.append(unit.outputs.count)
        for output in unit.outputs.sorted() { encoder.append(output) }
        return encoder.digest
    }

    /// A stored result a unit can reuse: the key it is recorded under (the
    /// unit's own key, or a derived key after a partial batch rerun) and its outputs.
    struct Reuse {
        var key: Digest
        var outputs: [String: Digest]
    }

    /// The stored outputs for `key`, if they can be reused: the latest run of
    /// the unit when it was a partial rerun standing in for `key` (what
    /// `--retrain` gave stays until the batch changes), else the result
    /// recorded under `key`.
    func reusableOutputs(_ unit: StepGraph.Unit, key: Digest) -> Reuse? {
        if force(unit.id) { return nil }
        func usable(_ record: ActionRecord) -> Bool {
            Set(record.outputs.keys) == Set(unit.outputs) && (!checksObjects || record.outputs.values.allSatisfy(store.contains))
        }
        if let latest = index.latestByUnit[unit.id], latest.base == key, index.byKey[latest.key] != nil, usable(latest) {
            return Reuse(key: latest.key, outputs: latest.outputs)
        }
        if let record = index.byKey[key], record.base == nil, usable(record) {
            return Reuse(key: key, outputs: record.outputs)
        }
        if let locked = lockFallback?.steps[unit.id], locked.key == key, Set(locked.outputs.keys) == Set(unit.outputs) {
            return Reuse(key: key, outputs: locked.outputs)
        }
        return nil
    }

    /// The key a partial rerun of a batch records `unit` under: its own key
    /// and everything else the run read, the frozen members' outputs and the
    /// stale members' previous outputs (warm starts), so it never stands
    /// under a key a clean build computes.
    static func derivedKey(_ key: Digest, frozen: [String: Digest], previous: [String: Digest]) -> Digest {
        var encoder = CanonicalEncoder()
        encoder.append("lutbuild.partial-rerun.v1")
        encoder.append(key.hex)
        for (label, map) in [("frozen", frozen), ("previous", previous)] {
            encoder.append(label, map.count)
            for (name, digest) in map.sorted(by: { $0.key < $1.key }) {
                encoder.append(name, digest.hex)
            }
        }
        return encoder.digest
    }

    func record(
        _ node: StepGraph.Node, _ unit: StepGraph.Unit, key: Digest, inputs: [String: Digest],
        outputs: [String: Digest], base: Digest? = nil
    ) -> ActionRecord {
        ActionRecord(
            key: key, unit: unit.id, kind: node.kind, version: node.version,
            parameters: Digest.of(unit.parameters), sharedParameters: Digest.of(node.sharedParameters),
            inputs: inputs, outputs: outputs, base: base)
    }

    /// Why `unit` must run, compared with its last recorded run.
    func reasons(_ node: StepGraph.Node, _ unit: StepGraph.Unit, key: Digest, inputs: [String: Digest]) -> [StaleReason] {
        if force(unit.id) { return [.forced] }
        guard let previous = index.latestByUnit[unit.id] else {
            return lockFallback?.steps[unit.id] == nil ? [.new] : [.notInCache]
        }
        var reasons: [StaleReason] = []
        if previous.kind != node.kind || previous.version != node.version {
            reasons.append(.versionChanged(old: previous.version, new: node.version))
        }
        if previous.sharedParameters != Digest.of(node.sharedParameters) { reasons.append(.sharedParametersChanged) }
        if previous.parameters != Digest.of(unit.parameters) { reasons.append(.parametersChanged) }
        for name in Set(previous.inputs.keys).union(inputs.keys).sorted() where previous.inputs[name] != inputs[name] {
            reasons.append(.inputChanged(name: name, old: previous.inputs[name], new: inputs[name]))
        }
        if reasons.isEmpty {
            if previous.key == key || previous.base == key {
                let missing = unit.outputs.filter { previous.outputs[$0].map { !store.contains($0) } ?? true }
                reasons.append(.outputMissing(missing.sorted()))
            } else {
                reasons.append(.notInCache)
            }
        }
        return reasons
    }
}
