/// Why a step will run; `explain` and `status` print these.
public enum StaleReason: Sendable, Equatable, CustomStringConvertible {
    case new
    case forced
    case versionChanged(old: Int, new: Int)
    /// The parameters of a batch changed: its own, or any member's (each
    /// member's key covers them all, see `BatchStep`).
    case sharedParametersChanged
    case parametersChanged
    case inputChanged(name: String, old: Digest?, new: Digest?)
    /// The input comes from a step that runs first; if that step's output
    /// comes out unchanged, this one will not run after all.
    case inputPending(name: String, producer: String)
    /// The stored outputs are missing (cleaned, collected or found corrupt).
    case outputMissing([String])
    /// The result recorded for the current inputs is not in the local cache.
    case notInCache
    /// A report of its batch's run (`BatchMember.reportsRun`): other members run.
    case reportsRun
    /// Its batch runs as a whole because another member must run (see `BatchStep`).
    case runsWithBatch

    public var description: String {
        switch self {
        case .new: "new step"
        case .forced: "forced rebuild"
        case .versionChanged(let old, let new): "step version changed (\(old) → \(new))"
        case .sharedParametersChanged: "the batch's parameters changed (its own or a member's)"
        case .parametersChanged: "parameters changed"
        case .inputChanged(let name, let old, let new):
            "input '\(name)' changed (\(old.map { $0.short } ?? "none") → \(new.map { $0.short } ?? "none"))"
        case .inputPending(let name, let producer): "input '\(name)' may change (\(producer) runs first)"
        case .outputMissing(let names): "output \(names.map { "'\($0)'" }.joined(separator: ", ")) missing or corrupt"
        case .notInCache: "no cached result for the current inputs"
        case .reportsRun: "describes the batch's run, and other members run"
        case .runsWithBatch: "its batch is computed as a whole, and another member must run"
        }
    }
}

/// One unit that would run, and why.
public struct StaleStep: Sendable, Equatable {
    public var id: String
    public var reasons: [StaleReason]

    public init(id: String, reasons: [StaleReason]) {
        self.id = id
        self.reasons = reasons
    }
}
