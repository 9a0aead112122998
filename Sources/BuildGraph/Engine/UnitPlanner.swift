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

    func resolveInputs(_ unit: StepGraph.Unit, outputs: [OutputRef: Digest],
                       sources: inout [String: Digest]) throws -> Resolution {
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

    /// The stored outputs for `key`, if they can be reused.
    func reusableOutputs(_ unit: StepGraph.Unit, key: Digest) -> [String: Digest]? {
        if force(unit.id) { return nil }
        if let record = index.byKey[key], Set(record.outputs.keys) == Set(unit.outputs),
           !checksObjects || record.outputs.values.allSatisfy(store.contains) {
            return record.outputs
        }
        if let locked = lockFallback?.steps[unit.id], locked.key == key, Set(locked.outputs.keys) == Set(unit.outputs) {
            return locked.outputs
        }
        return nil
    }

    func record(_ node: StepGraph.Node, _ unit: StepGraph.Unit, key: Digest, inputs: [String: Digest],
                outputs: [String: Digest]) -> ActionRecord {
        ActionRecord(key: key, unit: unit.id, kind: node.kind, version: node.version,
                     parameters: Digest.of(unit.parameters), sharedParameters: Digest.of(node.sharedParameters),
                     inputs: inputs, outputs: outputs)
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
            if previous.key == key {
                let missing = unit.outputs.filter { previous.outputs[$0].map { !store.contains($0) } ?? true }
                reasons.append(.outputMissing(missing.sorted()))
            } else {
                reasons.append(.notInCache)
            }
        }
        return reasons
    }
}
