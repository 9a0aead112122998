import BuildGraph
import Diagnostics
import Foundation
import ProjectFile

/// One task of a sweep run on a cluster: builds its points of the manifest
/// (points that share their training, which it trains once) as the local
/// sweep builds them (the same `SweepRunner`, so the same steps, keys and
/// figures), in node-local scratch with the remote cache, and writes each
/// point's result as it finishes (or, for the points left when it fails, the
/// error and the log) where the collector finds it.
///
/// The scratch project links every entry of the project directory except its
/// outputs, state and lock file, so relative data paths read the shared data
/// and the task's cache is its own: equal steps come from the remote cache.
public struct SweepTask: Sendable {
    public let manifest: SweepManifest
    public let index: Int

    /// What a task's scratch project leaves out of the project directory.
    static let unlinked: Set<String> = [OutputLayout.generated, OutputLayout.stateDirectory, OutputLayout.lockFile]

    public init(manifest: SweepManifest, index: Int) throws {
        guard manifest.tasks.indices.contains(index) else {
            throw PipelineError("the sweep manifest has \(manifest.tasks.count) tasks; there is no task \(index)")
        }
        self.manifest = manifest
        self.index = index
    }

    var points: [SweepManifest.Point] { manifest.tasks[index].map { manifest.points[$0] } }

    /// Node-local scratch: `LUTBUILD_SCRATCH`, else `TMPDIR` (Slurm sites point it at local disk), else /tmp.
    static func scratchRoot(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let root = [environment["LUTBUILD_SCRATCH"], environment["TMPDIR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "/tmp"
        return URL(fileURLWithPath: root, isDirectory: true)
    }

    /// Builds the points and writes their results; on a failure, the points
    /// not finished get its error and the task's log, and it is rethrown (the
    /// task fails, as the scheduler should see).
    @discardableResult
    public func run(
        concurrency: Int?, remoteCache: RemoteCacheChoice, isCancelled: @escaping @Sendable () -> Bool = { false },
        events: @escaping @Sendable (BuildEvent) -> Void = { _ in },
        built: (BuildSummary) -> Void = { _ in }
    ) async throws -> [SweepPointResult] {
        let scratch = Self.scratchRoot().appendingPathComponent("lutbuild-sweep-\(points[0].configDigest.prefix(12))-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let started = Date()
        do {
            return try await build(
                in: scratch, concurrency: concurrency, remoteCache: remoteCache,
                isCancelled: isCancelled, events: events, built: built)
        } catch {
            // A task's interrupt is the scheduler's SIGTERM: cancelled, or out of time.
            let message =
                error is CancellationError
                ? "stopped by a signal (cancelled, or out of time?)"
                : UserError.lines(for: error).lines.joined(separator: "; ")
            let finished = manifest.taskResults()
            for point in points where finished[point.configDigest].map({ $0.error != nil }) ?? true {
                try? write(
                    SweepPointResult(
                        failed: point, error: message, log: manifest.displayLog(task: index),
                        buildSeconds: Date().timeIntervalSince(started)))
            }
            throw error
        }
    }

    private func build(
        in scratch: URL, concurrency: Int?, remoteCache: RemoteCacheChoice, isCancelled: @escaping @Sendable () -> Bool,
        events: @escaping @Sendable (BuildEvent) -> Void, built: (BuildSummary) -> Void
    ) async throws -> [SweepPointResult] {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        for entry in try FileManager.default.contentsOfDirectory(atPath: manifest.project) where !Self.unlinked.contains(entry) {
            try FileManager.default.createSymbolicLink(
                atPath: scratch.appendingPathComponent(entry).path,
                withDestinationPath: manifest.projectURL.appendingPathComponent(entry).path)
        }
        let project = try Project.open(path: scratch.path)
        var planned: [SweepPlan.Point] = []
        var axes: [SweepAxis] = []
        for point in points {
            let plan = try SweepPlan.make(project, arguments: point.settings.map { "\($0.key)=\($0.value)" }, maxPoints: 1)
            guard var one = plan.points.first, one.configDigest == point.configDigest else {
                throw PipelineError(
                    "the project file changed since the sweep was submitted: the point \(point.name)'s configuration differs; "
                        + "run the sweep again to build the new one", exitCode: UserError.inputExitCode)
            }
            one.name = point.name
            planned.append(one)
            axes = plan.axes
        }
        let runner = SweepRunner(project: project, plan: SweepPlan(axes: axes, points: planned), estimate: manifest.estimate)
        let remote = try remoteCache.settings(for: project.config.cache, projectDirectory: scratch)
        let task = self
        let results = try await runner.run(
            concurrency: concurrency, remoteCache: remote, isCancelled: isCancelled, events: events,
            pointFinished: { result, _ in
                // Each point lands as it finishes: a task killed later keeps it.
                try? task.publishReports(of: result.name, from: scratch)
                try? task.write(result)
            }, built: built)
        return results.points
    }

    /// The point's reports, where the local sweep publishes them.
    private func publishReports(of name: String, from scratch: URL) throws {
        let reports = scratch.appendingPathComponent(SweepRunner.reportsPath(name))
        let target = manifest.projectURL.appendingPathComponent(SweepRunner.reportsPath(name))
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: reports, to: target)
    }

    private func write(_ result: SweepPointResult) throws {
        guard let point = points.first(where: { $0.name == result.name || $0.configDigest == result.configDigest }) else { return }
        let file = manifest.resultFile(point)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(try result.jsonLine().utf8).write(to: file, options: .atomic)
    }
}
