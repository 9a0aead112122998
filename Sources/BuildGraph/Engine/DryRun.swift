import Foundation

/// What a build would do, without running anything: used by `explain` and `status`.
struct DryRun {
    let planner: UnitPlanner

    struct Result {
        var stale: [StaleStep] = []
        /// Keys of units whose key is computable, with known outputs when fresh.
        var locked: [String: LockFile.LockedStep] = [:]
        /// The digest of each output of a fresh unit.
        var outputs: [OutputRef: Digest] = [:]
        /// Fresh only by the lock file: the local cache has no record of them, so a build runs them again.
        var unrecorded: [StaleStep] = []
    }

    func run(_ nodes: [StepGraph.Node]) throws -> Result {
        var result = Result()
        var outputs: [OutputRef: Digest] = [:]
        var sources: [String: Digest] = [:]
        for nodeIndex in Self.topologicalOrder(nodes) {
            let node = nodes[nodeIndex]
            var stale: [Int] = [], reasons: [Int: [StaleReason]] = [:]
            var fresh: [Int: UnitPlanner.Reuse] = [:]
            for (unitIndex, unit) in node.units.enumerated() {
                switch try planner.resolveInputs(unit, outputs: outputs, sources: &sources) {
                case .pending(let pending):
                    stale.append(unitIndex)
                    reasons[unitIndex] = pending.map { .inputPending(name: $0.input, producer: $0.producer) }
                case .known(let digests):
                    let key = UnitPlanner.key(node, unit, inputs: digests)
                    if let reuse = planner.reusableOutputs(unit, key: key) {
                        fresh[unitIndex] = reuse
                    } else {
                        stale.append(unitIndex)
                        reasons[unitIndex] = planner.reasons(node, unit, key: key, inputs: digests)
                    }
                }
            }
            if node.isBatch {
                (stale, fresh) = BatchRule.plan(units: node.units, stale: stale, fresh: fresh, forced: planner.force)
            }
            for unitIndex in stale {
                let unit = node.units[unitIndex]
                result.stale.append(StaleStep(id: unit.id, reasons: reasons[unitIndex] ?? [unit.reportsRun ? .reportsRun : .runsWithBatch]))
            }
            for (unitIndex, reuse) in fresh.sorted(by: { $0.key < $1.key }) {
                let unit = node.units[unitIndex]
                for (name, digest) in reuse.outputs { outputs[OutputRef(step: node.id, name: name)] = digest }
                result.locked[unit.id] = LockFile.LockedStep(key: reuse.key, outputs: reuse.outputs)
                // A build reuses only what the action index records (it has no lock fallback).
                if planner.index.byKey[reuse.key].map({ Set($0.outputs.keys) != Set(unit.outputs) }) ?? true {
                    result.unrecorded.append(StaleStep(id: unit.id, reasons: [.notInCache]))
                }
            }
        }
        result.outputs = outputs
        return result
    }

    /// The fresh units a build must still run to write back `needed` (published
    /// digests it has to rewrite) because those objects are not in the store:
    /// their producers, and, where a producer's own inputs are gone too, theirs,
    /// up the chain. In topological order.
    func lostProducers(of needed: Set<Digest>, nodes: [StepGraph.Node], _ result: Result) -> [StaleStep] {
        var producer: [Digest: (node: Int, unit: Int)] = [:]
        for (nodeIndex, node) in nodes.enumerated() {
            for (unitIndex, unit) in node.units.enumerated() {
                for digest in (result.locked[unit.id]?.outputs ?? [:]).values { producer[digest] = (nodeIndex, unitIndex) }
            }
        }
        var lost: [String: Set<String>] = [:]
        var queue = needed.filter { !planner.store.contains($0) }.sorted()
        var seen = Set(queue)
        while let digest = queue.popLast() {
            guard let (nodeIndex, unitIndex) = producer[digest] else { continue }
            let unit = nodes[nodeIndex].units[unitIndex]
            let names = result.locked[unit.id]?.outputs.filter { $0.value == digest }.map(\.key) ?? []
            lost[unit.id, default: []].formUnion(names)
            for input in unit.inputs.values {
                guard case .output(let step, let name) = input,
                    let inputDigest = result.outputs[OutputRef(step: step, name: name)],
                    !seen.contains(inputDigest), !planner.store.contains(inputDigest)
                else { continue }
                seen.insert(inputDigest)
                queue.append(inputDigest)
            }
        }
        return Self.topologicalOrder(nodes).flatMap { nodes[$0].units }.compactMap { unit in
            lost[unit.id].map { StaleStep(id: unit.id, reasons: [.outputMissing($0.sorted())]) }
        }
    }

    static func topologicalOrder(_ nodes: [StepGraph.Node]) -> [Int] {
        var remaining = nodes.map(\.dependencies.count)
        var dependents = Array(repeating: [Int](), count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for dependency in node.dependencies { dependents[dependency].append(index) }
        }
        var order = nodes.indices.filter { remaining[$0] == 0 }
        var next = 0
        while next < order.count {
            for dependent in dependents[order[next]] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { order.append(dependent) }
            }
            next += 1
        }
        return order
    }
}

/// What `status` found.
public struct StatusReport: Sendable, Equatable {
    /// Units a build would run, with reasons.
    public var stale: [StaleStep] = []
    /// Published files whose content differs from the lock file (edited by hand).
    public var edited: [String] = []
    /// Published files listed in the lock file that do not exist.
    public var missing: [String] = []
    /// The lock file does not describe the current build (absent or out of date).
    public var lockOutdated = false
    /// Units that match the lock file (so they are not stale) but that the
    /// local cache has no record of (a fresh clone, or lost `.lutbuild/`
    /// index files): the next build runs them again, or fetches them from a
    /// remote cache. Not part of `isClean`, which is about `gen/` and the sources.
    public var rerun: [StaleStep] = []

    public init(stale: [StaleStep] = []) { self.stale = stale }

    public var isClean: Bool { stale.isEmpty && edited.isEmpty && missing.isEmpty && !lockOutdated }
}

extension BuildEngine {
    /// Every unit a build would run now, and why (the `explain` command).
    public func explain(
        _ graph: StepGraph, targets: Set<String>? = nil,
        force: @escaping @Sendable (String) -> Bool = { _ in false }
    ) throws -> [StaleStep] {
        try DryRun(planner: planner(force: force, lock: nil)).run((targets.map(graph.keeping) ?? graph).resolved()).stale
    }

    /// Stale steps, hand-edited or missing outputs and an outdated lock file.
    /// The committed lock file counts as a cache, so a fresh clone whose
    /// sources match its lock file is clean. `verify` re-hashes every file
    /// instead of trusting unchanged stats.
    public func status(_ graph: StepGraph, targets: Set<String>? = nil, verify: Bool = false) throws -> StatusReport {
        let lock = try lockFile()
        let planner = planner(force: { _ in false }, lock: lock, verify: verify)
        let nodes = try (targets.map(graph.keeping) ?? graph).resolved()
        let unitIDs = Set(nodes.flatMap { $0.units.map(\.id) })
        let publishedByTargets = Set(nodes.flatMap { $0.units.flatMap(\.publish.values) })
        let dryRun = DryRun(planner: planner)
        let dry = try dryRun.run(nodes)
        var report = StatusReport(stale: dry.stale)
        var rewritten: Set<Digest> = []
        for (path, digest) in (lock?.published ?? [:]).sorted(by: { $0.key < $1.key }) where publishedByTargets.contains(path) {
            switch try planner.statCache.digest(of: path) {
            case nil: report.missing.append(path)
            case let current? where current != digest: report.edited.append(path)
            default: continue
            }
            rewritten.insert(digest)
        }
        // A file the build must write back from an object that is gone means rerunning its producers.
        let staleIDs = Set(report.stale.map(\.id))
        report.stale += dryRun.lostProducers(of: rewritten, nodes: nodes, dry).filter { !staleIDs.contains($0.id) }
        report.lockOutdated = dry.stale.isEmpty && lock?.steps.filter({ unitIDs.contains($0.key) }) != dry.locked
        let listed = Set(report.stale.map(\.id))
        report.rerun = dry.unrecorded.filter { !listed.contains($0.id) }
        return report
    }

    func planner(force: @escaping @Sendable (String) -> Bool, lock: LockFile?, verify: Bool = false) -> UnitPlanner {
        let store = ObjectStore(fileSystem: fileSystem, directory: layout.objectsDirectory)
        return UnitPlanner(
            store: store, index: ActionIndex(fileSystem: fileSystem, path: layout.actionIndex),
            statCache: StatCache(fileSystem: fileSystem, root: layout.root, path: layout.statCache, verify: verify),
            force: force, lockFallback: lock)
    }
}
