import Allocation
import BuildGraph
import Diagnostics
import Foundation
import ProjectFile

/// How the commands run a build (the policy the CLI only calls): under the
/// project's build lock, and a first build whose input the user must fix
/// leaves the folder as it was.
extension BuildPipeline {
    /// Takes `.lutbuild/lock`, so builds, cleans and collections never
    /// overlap; `onWait` hears why the command waits (another build holds it).
    public static func lock(_ project: Project, wait: Bool, onWait: (String) -> Void) throws -> ProjectBuildLock {
        try ProjectBuildLock(layout: OutputLayout.engineLayout(root: project.directory.path), wait: wait, onWait: onWait)
    }

    /// `build(…)` under the project's lock; `concurrency` nil: the CPUs this
    /// process may use (`CPUAllocation`). A first build that the user's
    /// data rejects (an input error, exit 2) removes the state folder it
    /// created, as a bad project file leaves none.
    public func lockedBuild(
        wait: Bool, onWait: (String) -> Void, concurrency: Int?, remoteCache: RemoteCacheChoice,
        isCancelled: @escaping @Sendable () -> Bool,
        events: @escaping @Sendable (BuildEvent) -> Void
    ) async throws -> BuildSummary {
        let state = URL(fileURLWithPath: OutputLayout.engineLayout(root: project.directory.path).stateDirectory)
        let firstBuild = !FileManager.default.fileExists(atPath: state.path)
        do {
            let lock = try Self.lock(project, wait: wait, onWait: onWait)
            defer { _ = lock }
            return try await build(
                concurrency: concurrency ?? CPUAllocation.count, remoteCache: remoteCache, isCancelled: isCancelled, events: events)
        } catch {
            if firstBuild && UserError.lines(for: error).exitCode == UserError.inputExitCode {
                try? FileManager.default.removeItem(at: state)
            }
            throw error
        }
    }
}
