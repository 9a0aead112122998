import Foundation

/// What a running step sees: its inputs (read lazily and verified), which batch
/// members it must produce, a progress channel and a scratch directory.
public struct StepContext: Sendable {
    struct ResolvedInput: Sendable {
        var source: StepInput
        var digest: Digest
    }

    public let stepID: String
    /// Batch members to (re)produce; empty for a plain step.
    public let stale: [String]
    /// Batch members whose stored outputs stay as they are (frozen).
    public let fresh: [String]
    /// Identifies exactly this job (the keys of the units it produces), e.g. to
    /// tell whether a checkpoint left in the scratch directory belongs to it.
    public let jobKey: Digest
    let inputsByMember: [String: [String: ResolvedInput]]
    let freshOutputs: [String: Digest]
    /// Stale batch members' outputs from their last recorded run.
    let previousOutputs: [String: Digest]
    let store: ObjectStore
    let layout: ProjectLayout
    let events: @Sendable (BuildEvent) -> Void
    let isCancelledByCaller: @Sendable () -> Bool

    /// The bytes of input `name` (for a batch, of `member`'s input, or a shared
    /// input when `member` is nil).
    public func input(_ name: String, member: String? = nil) throws -> Data {
        let resolved = try lookup(name, member: member)
        switch resolved.source {
        case .source(let path):
            let data = try store.fileSystem.read(layout.absolute(path))
            guard Digest.of(data) == resolved.digest else {
                throw BuildError.stepFailed(step: stepID, message: "source file '\(path)' changed during the build; build again")
            }
            return data
        case .output:
            return try store.get(resolved.digest)
        }
    }

    /// The digest of input `name`, e.g. to label a cache inside the step.
    public func inputDigest(_ name: String, member: String? = nil) throws -> Digest {
        try lookup(name, member: member).digest
    }

    /// The stored output of a fresh batch member (to keep it frozen).
    public func freshOutput(_ member: String) throws -> Data {
        guard let digest = freshOutputs[member] else {
            throw BuildError.stepFailed(step: stepID, message: "member '\(member)' is not fresh")
        }
        return try store.get(digest)
    }

    /// What a stale batch member produced the last time it ran, if that is
    /// still in the store (e.g. to warm-start retraining); nil otherwise.
    public func previousOutput(member: String) -> Data? {
        guard let digest = previousOutputs[member] else { return nil }
        return try? store.get(digest)
    }

    /// Reports progress (shown on the status line or as a JSON event).
    public func progress(_ message: String) { events(.progress(step: stepID, message: message)) }
    /// Something the user should know and may want to change; the build goes on.
    public func warn(_ message: String) { events(.warning("\(stepID): \(message)")) }

    /// Reports the state of long work, `fraction` of it done; send it as often
    /// as it changes (a few times a second): renderers thin it out for logs.
    public func status(_ message: String, fraction: Double) {
        events(.status(step: stepID, message: message, fraction: fraction))
    }

    /// True when the build is being cancelled (Ctrl-C, watch mode restarting).
    public var isCancelled: Bool { Task.isCancelled || isCancelledByCaller() }

    public func checkCancellation() throws {
        if isCancelled { throw CancellationError() }
    }

    /// A directory that survives an interrupted run (for checkpoints) and is
    /// deleted once the step has succeeded.
    public func scratchDirectory() throws -> String {
        let path = Self.scratchPath(layout: layout, stepID: stepID)
        try store.fileSystem.createDirectory(path)
        return path
    }

    /// `scratchDirectory()` on disk, for runs that write their own files
    /// there (training checkpoints); nil when the build's files are not on
    /// disk (the engine's in-memory tests), so such a run keeps nothing.
    public func diskScratchDirectory() throws -> URL? {
        guard store.fileSystem is LocalFileSystem else { return nil }
        return URL(fileURLWithPath: try scratchDirectory())
    }

    static func scratchPath(layout: ProjectLayout, stepID: String) -> String {
        joinPath(layout.scratchDirectory, stepID.replacingOccurrences(of: "/", with: "__"))
    }

    private func lookup(_ name: String, member: String?) throws -> ResolvedInput {
        let inputs = member.flatMap { inputsByMember[$0] } ?? inputsByMember[""] ?? inputsByMember.values.first ?? [:]
        guard let resolved = inputs[name] else { throw BuildError.unknownInput(step: stepID, input: name) }
        return resolved
    }
}
