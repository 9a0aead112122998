import BuildGraph
import DeterministicJSON
import Diagnostics
import Foundation
import ProjectFile

/// `lutbuild sweep --executor slurm|command`: what the command does around
/// the submission (docs/sweep.md, "On a cluster"). A re-run first gathers what
/// an earlier submission left, so a point already built is never submitted
/// again; `--status` gathers and reports; `--wait` follows the tasks.
public enum ClusterSweep {
    /// Where the manifest of `project`'s cluster sweep is.
    public static func manifestFile(_ project: Project) -> URL { SweepManifest.file(in: project.directory) }

    /// The earlier submission's manifest, gathered into `results.json`; throws
    /// when its Slurm jobs still run (submitting again would build its points twice).
    public static func gatherEarlier(_ project: Project) throws {
        guard FileManager.default.fileExists(atPath: manifestFile(project).path) else { return }
        let manifest = try SweepManifest.read(from: manifestFile(project))
        if manifest.executor == .slurm {
            let running = [manifest.arrayJob, manifest.collectorJob].compactMap { $0 }
                .filter { !ClusterSubmission.isOver(ClusterSubmission.slurmState($0)) }
            guard running.isEmpty else {
                throw PipelineError(
                    "the sweep submitted earlier still runs (Slurm job\(running.count == 1 ? "" : "s")"
                        + " \(running.joined(separator: ", "))); "
                        + "follow it with lutbuild sweep --status, or scancel it first")
            }
        }
        try SweepCollector(manifest: manifest).collect(final: true)
    }

    /// The manifest of the points not finished earlier; nil when every point is.
    public static func manifest(_ project: Project, plan: SweepPlan, estimate: Bool, executor: ClusterSubmission.Executor) -> SweepManifest?
    {
        let earlier = SweepRunner.earlierResults(in: project.directory.appendingPathComponent(SweepRunner.directory))
        let pending = plan.points.indices.filter { earlier[plan.points[$0].configDigest] == nil }
        guard !pending.isEmpty else { return nil }
        // Points whose training is the same (the same data, model and train settings) are one task, which trains once.
        var tasks: [[Int]] = []
        var taskOf: [String: Int] = [:]
        for index in pending {
            let key = trainingKey(plan.points[index].project.config)
            if let task = taskOf[key] {
                tasks[task].append(index)
            } else {
                taskOf[key] = tasks.count
                tasks.append([index])
            }
        }
        return SweepManifest(project: project, plan: plan, tasks: tasks, estimate: estimate, executor: executor)
    }

    /// What a point's training depends on. Only groups points: a wrong group
    /// costs time, never a wrong result (each step keeps its own key).
    static func trainingKey(_ config: ProjectConfig) -> String {
        struct Training: Encodable {
            var dataset: DatasetSection, model: ModelSection, train: TrainSection
        }
        let data = (try? DeterministicJSON.compact(Training(dataset: config.dataset, model: config.model, train: config.train))) ?? Data()
        return Digest.of(data).hex
    }

    /// Writes the manifest of a new submission and removes what an earlier one
    /// left of its points (a failure), so following it reports only their new results.
    public static func begin(_ manifest: SweepManifest) throws {
        try manifest.write()
        for (_, point) in manifest.taskPoints { try? FileManager.default.removeItem(at: manifest.resultFile(point)) }
    }

    /// Where a cluster sweep stands, gathered into `results.json` as far as it got.
    public struct Status: Sendable {
        public var manifest: SweepManifest
        public var collected: SweepCollector.Collected
        /// Slurm's state of the array and of the collector (nil: forgotten or not Slurm).
        public var arrayState: String?
        public var collectorState: String?
    }

    public static func status(_ project: Project) throws -> Status {
        guard FileManager.default.fileExists(atPath: manifestFile(project).path) else {
            throw PipelineError(
                "no sweep was submitted to a cluster in this project (no \(SweepManifest.directory)/\(SweepManifest.fileName))",
                exitCode: UserError.usageExitCode)
        }
        let manifest = try SweepManifest.read(from: manifestFile(project))
        return status(manifest)
    }

    static func status(_ manifest: SweepManifest) -> Status {
        let arrayState = manifest.arrayJob.flatMap(ClusterSubmission.slurmState)
        let collectorState = manifest.collectorJob.flatMap(ClusterSubmission.slurmState)
        let states = manifest.arrayJob.map(ClusterSubmission.slurmTaskStates) ?? [:]
        // The tasks are over once the array is: then a missing result is a failure.
        let over =
            manifest.executor == .slurm && ClusterSubmission.isOver(arrayState)
            && states.values.allSatisfy { ClusterSubmission.isOver($0) }
        let collected =
            (try? SweepCollector(manifest: manifest).collect(final: over, reasons: states.mapValues { "Slurm says \($0)" }))
            ?? SweepCollector.Collected(
                results: SweepResults(keys: manifest.keys, points: []), unfinished: manifest.taskPoints.map(\.point.name))
        return Status(manifest: manifest, collected: collected, arrayState: arrayState, collectorState: collectorState)
    }

    /// Follows a Slurm submission until its collector ends: `taskFinished`
    /// hears each task's result as it lands (k of n). Returns the gathered
    /// results; throws `CancellationError` when `isCancelled` (the jobs go on).
    public static func follow(
        _ manifest: SweepManifest, poll: Duration = .seconds(1), isCancelled: @escaping @Sendable () -> Bool,
        taskFinished: (SweepPointResult, _ done: Int, _ total: Int) -> Void
    ) async throws -> SweepResults {
        var seen = Set<String>()
        let total = manifest.taskPoints.count
        func report() {
            let results = manifest.taskResults()
            for (_, point) in manifest.taskPoints {
                guard !seen.contains(point.configDigest), let result = results[point.configDigest] else { continue }
                seen.insert(point.configDigest)
                var named = result
                named.name = point.name
                taskFinished(named, seen.count, total)
            }
        }
        while true {
            if isCancelled() { throw CancellationError() }
            report()
            if ClusterSubmission.isOver(manifest.collectorJob.flatMap(ClusterSubmission.slurmState)) { break }
            try await Task.sleep(for: poll)
        }
        report()
        // The collector wrote results.json; gather again here (the same files) in case it could not run.
        let final = status(manifest).collected.results
        for (_, point) in manifest.taskPoints {
            if !seen.contains(point.configDigest), let result = final.points.first(where: { $0.configDigest == point.configDigest }) {
                seen.insert(point.configDigest)
                taskFinished(result, seen.count, total)
            }
        }
        return final
    }
}
