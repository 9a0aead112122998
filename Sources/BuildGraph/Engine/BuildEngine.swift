import Foundation

/// The incremental build engine: runs a `StepGraph` in a project directory,
/// reusing every step whose key (kind, version, parameters, input digests) it
/// has seen before. It knows nothing about what the steps compute.
public struct BuildEngine: Sendable {
    public let layout: ProjectLayout
    public let fileSystem: any FileSystem
    public let clock: any BuildClock

    public init(layout: ProjectLayout, fileSystem: any FileSystem = LocalFileSystem(), clock: any BuildClock = SystemClock()) {
        self.layout = layout
        self.fileSystem = fileSystem
        self.clock = clock
    }

    /// Brings `targets` (step ids; nil: every step) of the project's graph up
    /// to date, with the steps they need. `graph` is the project's whole
    /// graph: outputs of its other steps are left as they are, and a published
    /// file is removed only when no step of `graph` publishes it any more (as
    /// ninja's `-t cleandead` decides), never because a command asked for
    /// less; the lock file describes the whole graph. Throws `BuildFailure`
    /// listing every failed step, or `CancellationError`; completed steps are
    /// kept either way.
    @discardableResult
    public func build(
        _ graph: StepGraph, targets: Set<String>? = nil, options: BuildOptions = BuildOptions(),
        events: @escaping @Sendable (BuildEvent) -> Void = { _ in }
    ) async throws -> BuildSummary {
        let session = BuildSession(layout: layout, fileSystem: fileSystem, clock: clock, options: options, events: events)
        return try await session.run(graph, targets: targets)
    }

    /// The committed lock file, if there is one.
    public func lockFile() throws -> LockFile? {
        guard let data = try? fileSystem.read(layout.lockFile) else { return nil }
        return try LockFile.decode(data, path: layout.lockFile)
    }
}
