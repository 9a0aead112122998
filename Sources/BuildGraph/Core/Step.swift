import Foundation

/// Where a step input comes from.
public enum StepInput: Hashable, Sendable {
    /// A file under the project root (e.g. `lutbuild.toml`, `data/train.csv`),
    /// hashed through the stat cache.
    case source(String)
    /// A named output of another step (for a batch step, the output is named
    /// after the member).
    case output(step: String, name: String)
}

/// What a step's `run` produces: bytes per output name.
public typealias StepOutputs = [String: Data]

/// A step's work. It receives its inputs through the context and returns its
/// outputs' bytes; it must be a pure function of those inputs and parameters.
public typealias StepAction = @Sendable (StepContext) async throws -> StepOutputs

/// One action with one key: re-run as a whole when any input, its parameters,
/// its kind or its version changes.
public struct Step: Sendable {
    /// Stable, unique, human-readable (e.g. `verilog/layer2/p17`).
    public var id: String
    /// What the step does (e.g. `verilog`); part of the key.
    public var kind: String
    /// Bump when the step's code changes meaning; part of the key.
    public var version: Int
    /// Canonical parameter bytes (see `CanonicalEncoder`); part of the key.
    public var parameters: Data
    public var inputs: [String: StepInput]
    public var outputs: [String]
    /// Output name → project-relative path it is materialised to.
    public var publish: [String: String]
    /// A step whose kernels use every core runs alone (no oversubscription).
    public var usesAllCores: Bool
    public var run: StepAction

    public init(
        id: String, kind: String, version: Int, parameters: Data = Data(),
        inputs: [String: StepInput] = [:], outputs: [String], publish: [String: String] = [:],
        usesAllCores: Bool = false, run: @escaping StepAction
    ) {
        self.id = id
        self.kind = kind
        self.version = version
        self.parameters = parameters
        self.inputs = inputs
        self.outputs = outputs
        self.publish = publish
        self.usesAllCores = usesAllCores
        self.run = run
    }
}

/// One member of a batch step: its own parameters and a single output named
/// after it, and so its own key. Inputs belong to the batch: its action reads
/// them for every member at once, so every member's key covers them all.
public struct BatchMember: Sendable {
    public var name: String
    public var parameters: Data
    /// Project-relative path the member's output is materialised to, if any.
    public var publish: String?
    /// A report of the run itself (e.g. a training log): produced again
    /// whenever any other member runs, so it always describes the latest run.
    public var reportsRun: Bool

    public init(name: String, parameters: Data = Data(), publish: String? = nil, reportsRun: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.publish = publish
        self.reportsRun = reportsRun
    }
}

/// One action producing many outputs, each with its own key (e.g. training all
/// partitions of a network together).
///
/// The staleness rule: every member's key hashes the batch's kind, version,
/// parameters and inputs, *every* member's name and parameters
/// (`StepGraph.jointParameters`), and the member's own name. The action
/// computes its members jointly (training all partitions together), so a
/// change of anything makes every member stale, and a stale member (lost from
/// the cache, say) is produced by running the whole batch again, never alone
/// under the old key: what the batch gives is what a clean build gives.
///
/// The one exception is asked for by name: members forced by the caller
/// (`BuildOptions.force`, e.g. `--retrain layerK`) run with every other member
/// frozen at its stored output. Such a run depends on those outputs, not only
/// on the key, so its results are recorded under a derived key that names
/// them (`ActionRecord.base` keeps the clean key it stands in for).
/// `run` receives the stale set and the fresh members' stored outputs; it must
/// return an output for every stale member; what it returns for fresh members
/// is ignored, so fresh members stay byte-identical.
public struct BatchStep: Sendable {
    public var id: String
    public var kind: String
    public var version: Int
    public var parameters: Data
    /// Inputs of the batch, read for all members.
    public var inputs: [String: StepInput]
    public var members: [BatchMember]
    public var usesAllCores: Bool
    public var run: StepAction

    public init(
        id: String, kind: String, version: Int, parameters: Data = Data(),
        inputs: [String: StepInput] = [:], members: [BatchMember],
        usesAllCores: Bool = false, run: @escaping StepAction
    ) {
        self.id = id
        self.kind = kind
        self.version = version
        self.parameters = parameters
        self.inputs = inputs
        self.members = members
        self.usesAllCores = usesAllCores
        self.run = run
    }
}
