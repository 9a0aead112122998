import Foundation

/// One build: loads the engine's files once, runs the graph in passes (a pass
/// that meets a missing or corrupt object forgets its producer for good and is
/// followed by another, which rebuilds it; a chain of lost objects is climbed
/// one producer per pass, all in this build), and writes the lock file at the end.
final class BuildSession {
    private let layout: ProjectLayout
    private let fileSystem: any FileSystem
    private let clock: any BuildClock
    private let options: BuildOptions
    private let events: @Sendable (BuildEvent) -> Void
    private let store: ObjectStore
    private let index: ActionIndex
    private let statCache: StatCache
    private let planner: UnitPlanner
    private let remote: RemoteCacheSession?
    private var summary = BuildSummary()
    /// Unit id that produced each key in this build (ran it or fetched it), so an
    /// equal unit under another id that finds the key is counted as reusing it,
    /// however the two happened to be scheduled.
    private var producedThisBuild: [Digest: String] = [:]
    /// Batch nodes already warned about a lost partial-rerun result (once per build).
    private var warnedLostPartial: Set<String> = []

    init(
        layout: ProjectLayout, fileSystem: any FileSystem, clock: any BuildClock, options: BuildOptions,
        events: @escaping @Sendable (BuildEvent) -> Void
    ) {
        self.layout = layout
        self.fileSystem = fileSystem
        self.clock = clock
        self.options = options
        self.events = events
        store = ObjectStore(fileSystem: fileSystem, directory: layout.objectsDirectory)
        index = ActionIndex(fileSystem: fileSystem, path: layout.actionIndex)
        statCache = StatCache(fileSystem: fileSystem, root: layout.root, path: layout.statCache)
        planner = UnitPlanner(
            store: store, index: index, statCache: statCache, force: options.force, lockFallback: nil,
            checksObjects: false)
        remote = options.remoteCache.map { [store] in RemoteCacheSession(settings: $0, store: store, events: events) }
    }

    var rehashCount: Int { statCache.rehashCount }

    /// Runs the build, then waits (a bounded time) for its uploads to the
    /// remote cache; an interrupted build abandons them.
    func run(_ graph: StepGraph, targets: Set<String>? = nil) async throws -> BuildSummary {
        let whole = try WholeGraph(graph)
        let selected = try targets.map(graph.keeping) ?? graph
        guard let remote else { return try await runPasses(selected, whole) }
        do {
            var result = try await runPasses(selected, whole)
            result.uploaded = await remote.finishUploads()
            return result
        } catch is CancellationError {
            remote.abandonUploads()
            throw CancellationError()
        } catch {
            _ = await remote.finishUploads()
            throw error
        }
    }

    private func runPasses(_ graph: StepGraph, _ whole: WholeGraph) async throws -> BuildSummary {
        let nodes = try graph.resolved()
        defer {
            try? statCache.saveIfChanged()
            try? index.compactIfNeeded()
        }
        var lost: Set<Digest> = []
        var checkedStore = false
        while true {
            let pass = PassState(nodes: nodes)
            try await runPass(pass)
            if pass.corrupt.isEmpty {
                try finish(pass, whole)
                return summary
            }
            summary.corruptObjects += pass.corrupt.filter { !summary.corruptObjects.contains($0) }
            var found = Set(pass.corrupt)
            if !checkedStore {
                // One lost object rarely comes alone (a disk fault, a bad copy, a deleted
                // folder): check every recorded output once, so all their producers rerun
                // together in the next pass, as after a clean start, instead of one link
                // of a chain per pass (a batch step then sees all its lost members at once).
                checkedStore = true
                let unusable = unusableRecordedOutputs().subtracting(found)
                if !unusable.isEmpty {
                    events(
                        .warning(
                            "the cache had lost \(unusable.count) more object(s) (missing or corrupt); the steps that made them run again"))
                }
                found.formUnion(unusable)
            }
            // Each pass must lose something new that some record produced, so the
            // passes end; an object lost again after this build rebuilt it is the disk's fault.
            guard found.isDisjoint(with: lost), try index.forget(producing: found) > 0 else {
                throw BuildError.storeKeepsCorrupting(directory: layout.cacheDirectory)
            }
            lost.formUnion(found)
        }
    }

    /// Outputs the action index records that the store no longer holds intact
    /// (missing, or corrupt and now deleted).
    private func unusableRecordedOutputs() -> Set<Digest> {
        let recorded = Set(index.byKey.values.flatMap(\.outputs.values))
        return recorded.filter { digest in
            do {
                _ = try store.get(digest)
                return false
            } catch BuildError.corruptObject, BuildError.missingObject {
                return true
            } catch {
                return false
            }
        }
    }

    // MARK: - One pass

    private final class PassState {
        let nodes: [StepGraph.Node]
        var dependents: [[Int]]
        var remaining: [Int]
        var outputs: [OutputRef: Digest] = [:]
        var keys: [String: Digest] = [:]
        var unitOutputs: [String: [String: Digest]] = [:]
        var sources: [String: Digest] = [:]
        var published: [String: Digest] = [:]
        var done = 0
        var failures: [BuildFailure.Failure] = []
        var corrupt: [Digest] = []
        var cancelled = false
        /// Nodes already looked up in the remote cache.
        var lookedUp: Set<Int> = []

        init(nodes: [StepGraph.Node]) {
            self.nodes = nodes
            dependents = Array(repeating: [], count: nodes.count)
            remaining = nodes.map(\.dependencies.count)
            for (index, node) in nodes.enumerated() {
                for dependency in node.dependencies { dependents[dependency].append(index) }
            }
        }

        var halted: Bool { cancelled || !failures.isEmpty || !corrupt.isEmpty }
    }

    /// A node whose stale units must run, prepared in the loop.
    private struct Job: Sendable {
        var node: Int
        var stale: [Int]
        /// Each unit's key, as a clean build computes it (what the remote cache is asked for).
        var keys: [Int: Digest]
        /// The keys stale units' results are recorded under: `keys`, or derived keys in a partial rerun.
        var runKeys: [Int: Digest]
        var inputs: [Int: [String: Digest]]
        /// Reusable units: their outputs and the key those are recorded under.
        var fresh: [Int: UnitPlanner.Reuse]
        var context: StepContext
        /// Planned again at launch already (see `finishedMeanwhile`).
        var replanned = false
        /// An audit run (`--audit`): every unit was reusable; these are the
        /// stored outputs the run's outputs must equal.
        var audited: [Int: [String: Digest]]?
    }

    private enum JobResult: Sendable {
        case success(Job, [Int: [String: Digest]], seconds: Double)
        case failure(Job, any Error)
        /// Units of the job found in the remote cache (unit index → outputs).
        case fetched(Job, [Int: [String: Digest]])
    }

    private func runPass(_ pass: PassState) async throws {
        var ready = pass.nodes.indices.filter { pass.remaining[$0] == 0 }
        var waiting: [Job] = []
        var running = 0
        var lookups = 0
        var exclusiveRunning = false
        let total = pass.nodes.count

        await withTaskGroup(of: JobResult.self) { group in
            func cached(_ nodeIndex: Int) {
                pass.done += 1
                summary.cached.append(pass.nodes[nodeIndex].id)
                events(.cached(step: pass.nodes[nodeIndex].id, done: pass.done, total: total))
                ready += release(nodeIndex, pass)
            }
            func noticeCancellation() {
                if !pass.cancelled && (Task.isCancelled || options.isCancelled()) {
                    pass.cancelled = true
                    group.cancelAll()
                }
            }
            while true {
                noticeCancellation()
                // Plan ready nodes: cached ones complete at once, others are looked up in
                // the remote cache (once), then wait for a slot. Planning thousands (a
                // large sweep) takes seconds, so an interrupt is noticed between them.
                while !pass.halted, !ready.isEmpty {
                    noticeCancellation()
                    if pass.halted { break }
                    let nodeIndex = ready.removeFirst()
                    do {
                        if let job = try prepare(nodeIndex, pass) {
                            let wanted = pass.lookedUp.insert(nodeIndex).inserted ? remoteLookups(job, pass) : []
                            if let remote, !wanted.isEmpty {
                                lookups += 1
                                group.addTask { .fetched(job, await remote.fetch(wanted)) }
                            } else {
                                waiting.append(job)
                            }
                        } else {
                            cached(nodeIndex)
                        }
                    } catch {
                        fail(nodeIndex, error, pass)
                    }
                }
                // Launch in order; a step using all cores waits for an empty machine and blocks the rest.
                while !pass.halted, let job = waiting.first {
                    let node = pass.nodes[job.node]
                    if node.usesAllCores ? running > 0 : (exclusiveRunning || running >= options.concurrency) { break }
                    waiting.removeFirst()
                    if finishedMeanwhile(job, pass) {
                        // An equal unit under another id (e.g. another sweep point's) finished
                        // since this job was planned: plan again to reuse its outputs.
                        do {
                            if var again = try prepare(job.node, pass) {
                                again.replanned = true
                                waiting.insert(again, at: 0)
                            } else {
                                cached(job.node)
                            }
                        } catch {
                            fail(job.node, error, pass)
                        }
                        continue
                    }
                    running += 1
                    exclusiveRunning = node.usesAllCores
                    events(.started(step: node.id, kind: node.kind, done: pass.done, total: total))
                    group.addTask { [store, clock] in
                        await Self.execute(job, node: node, store: store, clock: clock)
                    }
                }
                if running == 0 && lookups == 0 { break }
                guard let result = await group.next() else { break }
                if case .fetched = result {
                } else {
                    running -= 1
                    exclusiveRunning = false
                }
                switch result {
                case .fetched(let job, let found):
                    lookups -= 1
                    if pass.halted { continue }
                    do {
                        try adopt(job, found, pass)
                        if let remaining = try prepare(job.node, pass) { waiting.append(remaining) } else { cached(job.node) }
                    } catch {
                        fail(job.node, error, pass)
                    }
                case .success(let job, let produced, let seconds):
                    do {
                        try complete(job, produced: produced, seconds: seconds, pass)
                        ready += release(job.node, pass)
                    } catch {
                        fail(job.node, error, pass)
                    }
                case .failure(let job, let error):
                    fail(job.node, error, pass)
                }
            }
        }
        if pass.cancelled { throw CancellationError() }
        if !pass.failures.isEmpty { throw BuildFailure(failures: pass.failures) }
    }

    /// Whether one of `job`'s stale, unforced units has a result for its key
    /// now: steps equal but for their ids share keys, so one may finish while
    /// the other waits for a slot. Checked once per job.
    private func finishedMeanwhile(_ job: Job, _ pass: PassState) -> Bool {
        guard !job.replanned else { return false }
        let node = pass.nodes[job.node]
        return job.stale.contains { unit in
            !options.force(node.units[unit].id) && index.byKey[job.keys[unit]!] != nil
        }
    }

    /// Computes the node's unit keys; returns nil when every unit is reusable.
    private func prepare(_ nodeIndex: Int, _ pass: PassState) throws -> Job? {
        let node = pass.nodes[nodeIndex]
        var stale: [Int] = []
        var keys: [Int: Digest] = [:]
        var inputs: [Int: [String: Digest]] = [:]
        var fresh: [Int: UnitPlanner.Reuse] = [:]
        var resolvedInputs: [String: [String: StepContext.ResolvedInput]] = [:]
        for (unitIndex, unit) in node.units.enumerated() {
            guard case .known(let digests) = try planner.resolveInputs(unit, outputs: pass.outputs, sources: &pass.sources) else {
                throw BuildError.invalidGraph("step '\(unit.id)' was planned before its inputs were built")
            }
            let key = UnitPlanner.key(node, unit, inputs: digests)
            keys[unitIndex] = key
            inputs[unitIndex] = digests
            resolvedInputs[unit.member ?? ""] = digests.reduce(into: [:]) { result, entry in
                result[entry.key] = StepContext.ResolvedInput(source: unit.inputs[entry.key]!, digest: entry.value)
            }
            if let reuse = planner.reusableOutputs(unit, key: key) {
                fresh[unitIndex] = reuse
            } else {
                stale.append(unitIndex)
            }
        }
        if node.isBatch {
            (stale, fresh) = BatchRule.plan(units: node.units, stale: stale, fresh: fresh, forced: { options.force($0) })
            // A `--retrain` result standing in for the current key is lost: nothing can make it again.
            let lostPartial = stale.filter { unitIndex in
                let unit = node.units[unitIndex]
                return !options.force(unit.id) && index.latestByUnit[unit.id]?.base == keys[unitIndex]
            }.map { node.units[$0].id }
            if !lostPartial.isEmpty, warnedLostPartial.insert(node.id).inserted {
                events(
                    .warning(
                        "\(node.id): the result of an earlier partial run (`--retrain`) of \(lostPartial.joined(separator: ", ")) "
                            + "is no longer in the cache; it depended on weights no build can make again, so the whole batch runs "
                            + "(a clean build's result, not the lost one)"))
            }
        }
        if node.isBatch, let first = node.units.first, let shared = resolvedInputs[first.member ?? ""] {
            resolvedInputs[""] = shared.filter { node.sharedInputNames.contains($0.key) }
        }
        // A stale unit's inputs must still be in the store: found missing now, their
        // producers rerun in the next pass, before this step's work is spent.
        for unitIndex in stale {
            for (name, digest) in inputs[unitIndex]!.sorted(by: { $0.key < $1.key }) {
                guard case .output = node.units[unitIndex].inputs[name], !store.contains(digest) else { continue }
                throw BuildError.missingObject(digest, path: store.path(of: digest))
            }
        }
        if stale.isEmpty, let audit = options.audit, fresh.allSatisfy({ keys[$0.key] == $0.value.key }),
            node.units.indices.contains(where: { audit.includes(keys[$0]!) }),
            node.units.indices.allSatisfy({ unitIndex in
                node.units[unitIndex].inputs.allSatisfy { name, input in
                    if case .output = input { return store.contains(inputs[unitIndex]![name]!) } else { return true }
                }
            })
        {
            // Run it again as a clean build would (no frozen or previous outputs) and compare.
            let all = Array(node.units.indices)
            let context = StepContext(
                stepID: node.id, stale: node.isBatch ? all.map { node.units[$0].member! } : [], fresh: [],
                jobKey: Digest.of("audit," + all.map { keys[$0]!.hex }.joined(separator: ",")),
                inputsByMember: resolvedInputs, freshOutputs: [:], previousOutputs: [:],
                store: store, layout: layout, events: events, isCancelledByCaller: options.isCancelled)
            return Job(
                node: nodeIndex, stale: all, keys: keys, runKeys: keys, inputs: inputs, fresh: [:],
                context: context, replanned: true, audited: fresh.mapValues(\.outputs))
        }
        if stale.isEmpty {
            for (unitIndex, reuse) in fresh.sorted(by: { $0.key < $1.key }) {
                try accept(node, unitIndex, key: reuse.key, inputs: inputs[unitIndex]!, outputs: reuse.outputs, ran: false, pass)
            }
            return nil
        }
        let frozenOutputs: [String: Digest] =
            node.isBatch
            ? fresh.reduce(into: [:]) { result, entry in
                let member = node.units[entry.key].member!
                result[member] = entry.value.outputs[member]
            } : [:]
        // Only a partial rerun reads earlier outputs (warm starts); a whole batch starts afresh.
        let previousOutputs: [String: Digest] =
            frozenOutputs.isEmpty
            ? [:]
            : stale.reduce(into: [:]) { result, unitIndex in
                let unit = node.units[unitIndex]
                if let member = unit.member, let digest = index.latestByUnit[unit.id]?.outputs[member] {
                    result[member] = digest
                }
            }
        // A partial rerun's results depend on what it read besides the key: recorded under derived keys.
        var runKeys = keys
        if !frozenOutputs.isEmpty {
            for unitIndex in stale {
                runKeys[unitIndex] = UnitPlanner.derivedKey(keys[unitIndex]!, frozen: frozenOutputs, previous: previousOutputs)
            }
        }
        let context = StepContext(
            stepID: node.id,
            stale: node.isBatch ? stale.map { node.units[$0].member! } : [],
            fresh: node.isBatch ? fresh.keys.sorted().map { node.units[$0].member! } : [],
            jobKey: Digest.of(stale.map { runKeys[$0]!.hex }.joined(separator: ",")),
            inputsByMember: resolvedInputs,
            freshOutputs: frozenOutputs,
            previousOutputs: previousOutputs,
            store: store, layout: layout, events: events, isCancelledByCaller: options.isCancelled)
        return Job(node: nodeIndex, stale: stale, keys: keys, runKeys: runKeys, inputs: inputs, fresh: fresh, context: context)
    }

    /// The job's stale units worth asking the remote cache for: not forced,
    /// and with no result for their key in the local index.
    private func remoteLookups(_ job: Job, _ pass: PassState) -> [RemoteCacheSession.Lookup] {
        guard let remote, remote.reads else { return [] }
        let node = pass.nodes[job.node]
        return job.stale.compactMap { unitIndex in
            let unit = node.units[unitIndex], key = job.keys[unitIndex]!
            guard !options.force(unit.id), index.byKey[key] == nil else { return nil }
            return RemoteCacheSession.Lookup(unit: unitIndex, key: key, outputs: unit.outputs)
        }
    }

    /// Records units found in the remote cache (their objects are already in
    /// the store) in the index, so that planning the node again reuses them.
    private func adopt(_ job: Job, _ found: [Int: [String: Digest]], _ pass: PassState) throws {
        let node = pass.nodes[job.node]
        for (unitIndex, outputs) in found.sorted(by: { $0.key < $1.key }) {
            let unit = node.units[unitIndex]
            try index.record(planner.record(node, unit, key: job.keys[unitIndex]!, inputs: job.inputs[unitIndex]!, outputs: outputs))
            summary.fetched.append(unit.id)
            producedThisBuild[job.keys[unitIndex]!] = unit.id
        }
    }

    /// Runs a step and stores its outputs (off the loop, in parallel).
    private static func execute(_ job: Job, node: StepGraph.Node, store: ObjectStore, clock: any BuildClock) async -> JobResult {
        let start = clock.nanoseconds()
        do {
            try job.context.checkCancellation()
            let produced = try await node.run(job.context)
            try job.context.checkCancellation()
            var digests: [Int: [String: Digest]] = [:]
            for unitIndex in job.stale {
                let unit = node.units[unitIndex]
                var outputs: [String: Digest] = [:]
                for name in unit.outputs {
                    guard let data = produced[name] else { throw BuildError.missingOutput(step: unit.id, output: name) }
                    outputs[name] = try store.put(data)
                }
                digests[unitIndex] = outputs
            }
            try? store.fileSystem.remove(StepContext.scratchPath(layout: job.context.layout, stepID: node.id))
            return .success(job, digests, seconds: Double(clock.nanoseconds() &- start) / 1e9)
        } catch {
            return .failure(job, error)
        }
    }

    /// Records a finished job: index records (outputs are already stored), then publication.
    private func complete(_ job: Job, produced: [Int: [String: Digest]], seconds: Double, _ pass: PassState) throws {
        let node = pass.nodes[job.node]
        if let stored = job.audited {
            // The build goes on with the stored results; what differs is reported.
            for unitIndex in node.units.indices {
                let unit = node.units[unitIndex], expected = stored[unitIndex] ?? [:]
                let differing = unit.outputs.filter { produced[unitIndex]?[$0] != expected[$0] }
                summary.audited.append(unit.id)
                if !differing.isEmpty {
                    let finding = AuditFinding(unit: unit.id, outputs: differing.sorted())
                    summary.auditFindings.append(finding)
                    events(.warning("audit: \(finding)"))
                }
                try accept(node, unitIndex, key: job.keys[unitIndex]!, inputs: job.inputs[unitIndex]!, outputs: expected, ran: false, pass)
            }
            pass.done += 1
            events(.finished(step: node.id, units: [], seconds: seconds, done: pass.done, total: pass.nodes.count))
            return
        }
        for unitIndex in node.units.indices {
            if let outputs = produced[unitIndex] {
                let key = job.keys[unitIndex]!, runKey = job.runKeys[unitIndex]!
                try accept(
                    node, unitIndex, key: runKey, base: runKey == key ? nil : key, inputs: job.inputs[unitIndex]!,
                    outputs: outputs, ran: true, pass)
                // A partial rerun (`--retrain`) depends on frozen outputs, not only on the key: kept local.
                if runKey == key { remote?.upload(key: key, outputs: outputs) }
            } else if let reuse = job.fresh[unitIndex] {
                try accept(node, unitIndex, key: reuse.key, inputs: job.inputs[unitIndex]!, outputs: reuse.outputs, ran: false, pass)
            }
        }
        if !produced.isEmpty { summary.ranSteps.append(node.id) }
        pass.done += 1
        events(
            .finished(
                step: node.id, units: job.stale.map { node.units[$0].id }, seconds: seconds,
                done: pass.done, total: pass.nodes.count))
    }

    /// Makes a unit's outputs visible to dependents, records it and publishes its files.
    private func accept(
        _ node: StepGraph.Node, _ unitIndex: Int, key: Digest, base: Digest? = nil, inputs: [String: Digest],
        outputs: [String: Digest], ran: Bool, _ pass: PassState
    ) throws {
        let unit = node.units[unitIndex]
        if ran || index.latestByUnit[unit.id]?.key != key {
            try index.record(
                planner.record(
                    node, unit, key: key, inputs: inputs, outputs: outputs,
                    base: ran ? base : index.byKey[key]?.base))
        }
        if ran {
            summary.ran.append(unit.id)
            producedThisBuild[key] = unit.id
        } else if let producer = producedThisBuild[key], producer != unit.id {
            summary.reusedFromEqual.append(unit.id)
        }
        for (name, digest) in outputs { pass.outputs[OutputRef(step: node.id, name: name)] = digest }
        pass.keys[unit.id] = key
        pass.unitOutputs[unit.id] = outputs
        for (output, path) in unit.publish.sorted(by: { $0.key < $1.key }) {
            guard let digest = outputs[output] else { continue }
            pass.published[path] = digest
            if try statCache.digest(of: path) == digest { continue }
            let data = try store.get(digest)
            let absolute = layout.absolute(path)
            try fileSystem.createDirectory(parentPath(absolute))
            try fileSystem.writeAtomically(absolute, data)
            statCache.remember(path, digest: digest)
            summary.written.append(path)
        }
    }

    private func release(_ nodeIndex: Int, _ pass: PassState) -> [Int] {
        var ready: [Int] = []
        for dependent in pass.dependents[nodeIndex] {
            pass.remaining[dependent] -= 1
            if pass.remaining[dependent] == 0 { ready.append(dependent) }
        }
        return ready
    }

    private func fail(_ nodeIndex: Int, _ error: any Error, _ pass: PassState) {
        let node = pass.nodes[nodeIndex]
        if case BuildError.corruptObject(let digest, _) = error {
            pass.corrupt.append(digest)
            events(.warning("\(error)"))
        } else if case BuildError.missingObject(let digest, _) = error {
            pass.corrupt.append(digest)
        } else if error is CancellationError {
            pass.cancelled = true
        } else {
            let failure = BuildFailure.Failure(step: node.id, error: error)
            pass.failures.append(failure)
            events(.failed(step: node.id, message: BuildFailure(failures: [failure]).description, done: pass.done, total: pass.nodes.count))
        }
    }

    // MARK: - After a successful pass

    /// What the lock file and removal need to know of the project's whole graph.
    private struct WholeGraph {
        var units: Set<String> = []
        var published: Set<String> = []
        var sources: Set<String> = []

        init(_ graph: StepGraph) throws {
            for node in try graph.resolved() {
                for unit in node.units {
                    units.insert(unit.id)
                    published.formUnion(unit.publish.values)
                    for case .source(let path) in unit.inputs.values { sources.insert(path) }
                }
            }
        }
    }

    private func finish(_ pass: PassState, _ whole: WholeGraph) throws {
        // Fast path of a no-op build: same results as the last finished build and
        // an untouched lock file, so there is nothing to write or remove.
        let fingerprint = Self.fingerprint(pass)
        let marker = joinPath(layout.cacheDirectory, "last-build")
        let lockName = layout.lockFileName
        if let recorded = try? fileSystem.read(marker),
            String(decoding: recorded, as: UTF8.self) == "\(fingerprint.hex) \(try statCache.digest(of: lockName)?.hex ?? "-")"
        {
            return
        }
        let oldLock = (try? fileSystem.read(layout.lockFile)).flatMap { try? LockFile.decode($0, path: layout.lockFile) }
        var lock = LockFile(published: pass.published, sources: pass.sources)
        for (path, digest) in (oldLock?.published ?? [:]).sorted(by: { $0.key < $1.key }) where pass.published[path] == nil {
            if whole.published.contains(path) {
                // A step this build was not asked for: its file and entry stay as they are.
                lock.published[path] = digest
            } else if try statCache.digest(of: path) == digest {
                // No step makes it any more. Remove only what we wrote: a file edited since is the user's now.
                try fileSystem.remove(layout.absolute(path))
                summary.removed.append(path)
            }
        }
        for (path, digest) in oldLock?.sources ?? [:] where lock.sources[path] == nil && whole.sources.contains(path) {
            lock.sources[path] = digest
        }
        for (unit, locked) in oldLock?.steps ?? [:] where pass.keys[unit] == nil && whole.units.contains(unit) {
            lock.steps[unit] = locked
        }
        for (unit, key) in pass.keys {
            lock.steps[unit] = LockFile.LockedStep(key: key, outputs: pass.unitOutputs[unit] ?? [:])
        }
        let encoded = lock.encoded()
        if (try? fileSystem.read(layout.lockFile)) != encoded {
            try fileSystem.createDirectory(parentPath(layout.lockFile))
            try fileSystem.writeAtomically(layout.lockFile, encoded)
        }
        statCache.remember(lockName, digest: Digest.of(encoded))
        try BuildHistory(fileSystem: fileSystem, path: layout.history)
            .append(Set(pass.unitOutputs.values.flatMap(\.values)), keep: options.keepBuilds)
        try fileSystem.createDirectory(layout.cacheDirectory)
        try fileSystem.writeAtomically(marker, Data("\(fingerprint.hex) \(Digest.of(encoded).hex)".utf8))
    }

    /// Everything the lock file and the history are made of, hashed.
    private static func fingerprint(_ pass: PassState) -> Digest {
        var encoder = CanonicalEncoder()
        for (unit, key) in pass.keys.sorted(by: { $0.key < $1.key }) {
            encoder.append(unit)
            encoder.append(key.hex)
            for (name, digest) in (pass.unitOutputs[unit] ?? [:]).sorted(by: { $0.key < $1.key }) {
                encoder.append(name)
                encoder.append(digest.hex)
            }
        }
        for map in [pass.published, pass.sources] {
            encoder.append(map.count)
            for (path, digest) in map.sorted(by: { $0.key < $1.key }) {
                encoder.append(path)
                encoder.append(digest.hex)
            }
        }
        return Digest.of(encoder.bytes)
    }
}
