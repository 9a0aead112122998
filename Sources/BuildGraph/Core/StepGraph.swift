import Foundation

/// The set of steps of one build, validated: unique ids, inputs that name
/// existing outputs, no cycles. Built by the caller (e.g. the lutbuild
/// pipeline) and handed to `BuildEngine`.
public struct StepGraph: Sendable {
    /// A unit is what has a key: a whole `Step`, or one member of a `BatchStep`.
    struct Unit: Sendable {
        var id: String
        /// The batch member name, nil for a plain step.
        var member: String?
        var parameters: Data
        var inputs: [String: StepInput]
        var outputs: [String]
        var publish: [String: String]
        /// See `BatchMember.reportsRun`.
        var reportsRun = false
    }

    struct Node: Sendable {
        var id: String
        var kind: String
        var version: Int
        var sharedParameters: Data
        var isBatch: Bool
        var usesAllCores: Bool
        /// For a batch, the names of the inputs all members share.
        var sharedInputNames: Set<String>
        var units: [Unit]
        var run: StepAction
        var dependencies: [Int] = []
    }

    private(set) var nodes: [Node] = []
    private var nodeIndex: [String: Int] = [:]

    public init() {}

    public var stepIDs: [String] { nodes.map(\.id) }

    public mutating func add(_ step: Step) throws {
        try insert(
            Node(
                id: step.id, kind: step.kind, version: step.version, sharedParameters: Data(), isBatch: false,
                usesAllCores: step.usesAllCores, sharedInputNames: [],
                units: [
                    Unit(
                        id: step.id, member: nil, parameters: step.parameters, inputs: step.inputs,
                        outputs: step.outputs, publish: step.publish)
                ],
                run: step.run))
    }

    public mutating func add(_ batch: BatchStep) throws {
        var units: [Unit] = []
        var seen = Set<String>()
        for member in batch.members {
            guard seen.insert(member.name).inserted else {
                throw BuildError.invalidGraph("batch step '\(batch.id)' has two members named '\(member.name)'")
            }
            units.append(
                Unit(
                    id: batch.id + "/" + member.name, member: member.name, parameters: member.parameters,
                    inputs: batch.inputs,
                    outputs: [member.name], publish: member.publish.map { [member.name: $0] } ?? [:],
                    reportsRun: member.reportsRun))
        }
        try insert(
            Node(
                id: batch.id, kind: batch.kind, version: batch.version, sharedParameters: Self.jointParameters(batch),
                isBatch: true, usesAllCores: batch.usesAllCores, sharedInputNames: Set(batch.inputs.keys), units: units, run: batch.run))
    }

    /// What every member of a batch is keyed with besides its own name, parameters
    /// and inputs: the batch's parameters *and every member's parameters*. The
    /// batch's action is handed all of them and trains its members jointly, so
    /// each member's output can depend on any of them: a key that named only the
    /// member's own parameters would let a change of another member (say a layer's
    /// bits) reuse outputs computed for the old network. By construction, not by care.
    static func jointParameters(_ batch: BatchStep) -> Data {
        var encoder = CanonicalEncoder()
        encoder.append("batch", batch.parameters)
        encoder.append(batch.members.count)
        for member in batch.members.sorted(by: { $0.name < $1.name }) {
            encoder.append(member.name, member.parameters)
        }
        return encoder.bytes
    }

    /// Adds every step of `other`, each renamed `namespace/<id>` (inputs
    /// follow the renaming) and publishing where `publish` moves its paths
    /// (nil: not published).
    /// Unit keys do not depend on ids, so a step equal to one already built
    /// under another name is reused from the cache: this is how variants of
    /// one project share its cache (`lutbuild sweep`).
    public mutating func add(_ other: StepGraph, namespace: String, publish: (String) -> String?) throws {
        func renamed(_ id: String) -> String { namespace + "/" + id }
        for var node in other.nodes {
            node.id = renamed(node.id)
            node.dependencies = []
            node.units = node.units.map { unit in
                var unit = unit
                unit.id = renamed(unit.id)
                unit.inputs = unit.inputs.mapValues { input in
                    guard case .output(let step, let name) = input else { return input }
                    return .output(step: renamed(step), name: name)
                }
                unit.publish = unit.publish.compactMapValues(publish)
                return unit
            }
            try insert(node)
        }
    }

    /// The steps `targets` need: the targets and, transitively, the steps
    /// producing their inputs; everything else is left out.
    public func keeping(_ targets: Set<String>) throws -> StepGraph {
        if let unknown = targets.subtracting(nodeIndex.keys).sorted().first {
            throw BuildError.invalidGraph("no step has the id '\(unknown)'")
        }
        var needed = Set<String>(), pending = Array(targets)
        while let id = pending.popLast() {
            guard needed.insert(id).inserted, let index = nodeIndex[id] else { continue }
            for unit in nodes[index].units {
                for case .output(let step, _) in unit.inputs.values { pending.append(step) }
            }
        }
        var graph = StepGraph()
        for node in nodes where needed.contains(node.id) { try graph.insert(node) }
        return graph
    }

    private mutating func insert(_ node: Node) throws {
        guard !node.id.isEmpty, !node.id.contains(where: { $0.isNewline || $0 == "\t" }) else {
            throw BuildError.invalidGraph("step id '\(node.id)' must be non-empty without tabs or newlines")
        }
        guard nodeIndex[node.id] == nil else { throw BuildError.invalidGraph("two steps have the id '\(node.id)'") }
        nodeIndex[node.id] = nodes.count
        nodes.append(node)
    }

    /// Resolves dependencies and orders nodes so each comes after its inputs.
    func resolved() throws -> [Node] {
        var result = nodes
        var published: [String: String] = [:]
        for (index, node) in nodes.enumerated() {
            var dependencies = Set<Int>()
            for unit in node.units {
                for (name, input) in unit.inputs.sorted(by: { $0.key < $1.key }) {
                    guard case .output(let stepID, let outputName) = input else { continue }
                    guard let producer = nodeIndex[stepID] else {
                        throw BuildError.invalidGraph("input '\(name)' of step '\(unit.id)' names the unknown step '\(stepID)'")
                    }
                    guard nodes[producer].units.contains(where: { $0.outputs.contains(outputName) }) else {
                        throw BuildError.invalidGraph(
                            "input '\(name)' of step '\(unit.id)' names the unknown output '\(outputName)' of step '\(stepID)'")
                    }
                    if producer != index {
                        dependencies.insert(producer)
                    } else {
                        throw BuildError.invalidGraph("step '\(unit.id)' depends on its own output '\(outputName)'")
                    }
                }
                for path in unit.publish.values {
                    if let other = published.updateValue(unit.id, forKey: path) {
                        throw BuildError.invalidGraph("steps '\(other)' and '\(unit.id)' both publish '\(path)'")
                    }
                }
            }
            result[index].dependencies = dependencies.sorted()
        }
        try checkAcyclic(result)
        return result
    }

    private func checkAcyclic(_ nodes: [Node]) throws {
        var state = [UInt8](repeating: 0, count: nodes.count)  // 0 new, 1 visiting, 2 done
        for start in nodes.indices where state[start] == 0 {
            var stack: [(Int, Int)] = [(start, 0)]
            state[start] = 1
            while let (node, next) = stack.last {
                if next < nodes[node].dependencies.count {
                    stack[stack.count - 1].1 += 1
                    let dependency = nodes[node].dependencies[next]
                    if state[dependency] == 1 {
                        throw BuildError.invalidGraph("steps form a cycle through '\(nodes[dependency].id)'")
                    }
                    if state[dependency] == 0 {
                        state[dependency] = 1
                        stack.append((dependency, 0))
                    }
                } else {
                    state[node] = 2
                    stack.removeLast()
                }
            }
        }
    }
}
