import BuildGraph
import Foundation

/// How lutbuild defines a build step: its parameters are one Codable value,
/// encoded canonically into the step's key and handed, decoded from those
/// same bytes, to `run`. `run` is a static function, so it captures nothing:
/// all it sees is the value its key hashed and the inputs it declared
/// (`StepInputs`: typed names bound once, read back with `StepContext.read`,
/// digest-checked). See docs/pipeline.md.
protocol PipelineStep: Sendable {
    associatedtype Parameters: Codable & Sendable
    /// What the step does; part of the key.
    static var kind: String { get }
    /// Bump when `run` changes meaning; part of the key.
    static var version: Int { get }
    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs
}

extension PipelineStep {
    /// The engine's step for `parameters`.
    static func step(
        id: String, _ parameters: Parameters, inputs: StepInputs = StepInputs(), outputs: [String],
        publish: [String: String] = [:], usesAllCores: Bool = false
    ) throws -> Step {
        try step(id: id, parameters, inputs: inputs, outputs: outputs, publish: publish, usesAllCores: usesAllCores, action: run)
    }

    /// The same step with `action` doing its work: `run` with a tool it calls
    /// replaced (tests substitute a recording fake for a simulator).
    static func step(
        id: String, _ parameters: Parameters, inputs: StepInputs = StepInputs(), outputs: [String],
        publish: [String: String] = [:], usesAllCores: Bool = false,
        action: @escaping @Sendable (Parameters, StepContext) async throws -> StepOutputs
    ) throws -> Step {
        let parameters = try StepParameters(parameters)
        return Step(
            id: id, kind: kind, version: version, parameters: parameters.key, inputs: inputs.sources, outputs: outputs,
            publish: publish, usesAllCores: usesAllCores
        ) { context in
            try await action(parameters.decoded(Parameters.self, step: context.stepID), context)
        }
    }
}

/// A batch step defined the same way: shared parameters for the whole batch,
/// and each member's own parameters in its own key; `run` receives both,
/// decoded (members without parameters are absent from `members`).
protocol PipelineBatchStep: Sendable {
    associatedtype Shared: Codable & Sendable
    associatedtype Member: Codable & Sendable
    typealias Action = @Sendable (_ shared: Shared, _ members: [String: Member], _ context: StepContext) async throws -> StepOutputs
    static var kind: String { get }
    static var version: Int { get }
}

/// One batch member: its name and its own parameters (nil: none).
struct PipelineBatchMember<Parameters: Codable & Sendable> {
    var name: String
    var parameters: Parameters?
    var publish: String?
    var reportsRun = false
}

extension PipelineBatchStep {
    /// The engine's batch step; `action` is the step's work (a static
    /// function of the step; tests may substitute one that does not train).
    static func batch(
        id: String, _ shared: Shared, inputs: StepInputs = StepInputs(),
        members: [PipelineBatchMember<Member>], usesAllCores: Bool = false,
        action: @escaping Action
    ) throws -> BatchStep {
        let sharedParameters = try StepParameters(shared)
        var memberParameters: [(name: String, parameters: StepParameters)] = []
        var engineMembers: [BatchMember] = []
        for member in members {
            let encoded = try member.parameters.map(StepParameters.init)
            if let encoded { memberParameters.append((member.name, encoded)) }
            engineMembers.append(
                BatchMember(
                    name: member.name, parameters: encoded?.key ?? Data(),
                    publish: member.publish, reportsRun: member.reportsRun))
        }
        let encodedMembers = memberParameters
        return BatchStep(
            id: id, kind: kind, version: version, parameters: sharedParameters.key, inputs: inputs.sources,
            members: engineMembers, usesAllCores: usesAllCores
        ) { context in
            var decoded: [String: Member] = [:]
            for (name, parameters) in encodedMembers {
                decoded[name] = try parameters.decoded(Member.self, step: context.stepID)
            }
            return try await action(sharedParameters.decoded(Shared.self, step: context.stepID), decoded, context)
        }
    }
}

/// A parameter value's canonical bytes: deterministic JSON (sorted keys)
/// wrapped by `CanonicalEncoder`. The key hashes `key`; `run` decodes `json`.
struct StepParameters: Sendable {
    let json: Data
    let key: Data

    init<T: Encodable>(_ value: T) throws {
        json = try StepCodecs.json(value)
        var encoder = CanonicalEncoder()
        encoder.append("parameters", json)
        key = encoder.bytes
    }

    func decoded<T: Decodable>(_ type: T.Type, step: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: json)
        } catch {
            throw BuildError.stepFailed(
                step: step, message: "its parameters do not decode as \(T.self) (\(error)); this is a bug in lutbuild")
        }
    }
}
