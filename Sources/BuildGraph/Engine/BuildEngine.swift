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

    /// Builds the graph. Throws `BuildFailure` listing every failed step,
    /// or `CancellationError`; completed steps are kept either way.
    @discardableResult
    public func build(_ graph: StepGraph, options: BuildOptions = BuildOptions(),
                      events: @escaping @Sendable (BuildEvent) -> Void = { _ in }) async throws -> BuildSummary {
        let session = BuildSession(layout: layout, fileSystem: fileSystem, clock: clock, options: options, events: events)
        return try await session.run(graph)
    }

    /// The committed lock file, if there is one.
    public func lockFile() throws -> LockFile? {
        guard let data = try? fileSystem.read(layout.lockFile) else { return nil }
        return try LockFile.decode(data, path: layout.lockFile)
    }
}
