import DeterministicJSON
import Foundation
import ProjectFile

/// What a sweep run elsewhere (a Slurm job array, another batch system) hands
/// its tasks and its collector: the whole grid, which points the tasks build,
/// and where each task's result and log go. Written by the submitting
/// `lutbuild sweep` in `gen/sweep/cluster/manifest.json`; the tasks and the
/// collector read nothing else of the submission.
public struct SweepManifest: Codable, Sendable, Equatable {
    /// One point of the grid, as the submitting sweep planned it.
    public struct Point: Codable, Sendable, Equatable {
        public var name: String
        public var settings: [SweepSetting]
        public var configDigest: String
    }

    /// The project's directory, on the filesystem the nodes share.
    public var project: String
    /// `[project] name`, for the plot's title.
    public var projectName: String
    /// The swept keys, in `--set` order.
    public var keys: [String]
    /// Every point of the grid, in grid order (finished ones included, for the collector).
    public var points: [Point]
    /// Task `i` builds the points `tasks[i]` (indices into `points`): points
    /// that share their training are one task, which trains once.
    public var tasks: [[Int]]
    /// Whether points run the resource estimate.
    public var estimate: Bool
    /// How the tasks run, which names their logs.
    public var executor: ClusterSubmission.Executor
    /// The Slurm job array's id, once submitted (names the tasks' logs).
    public var arrayJob: String?
    /// The collector job's id, once submitted.
    public var collectorJob: String?

    public static let directory = OutputLayout.sweepCluster
    public static let fileName = "manifest.json"

    public init(project: Project, plan: SweepPlan, tasks: [[Int]], estimate: Bool, executor: ClusterSubmission.Executor) {
        self.project = project.directory.standardizedFileURL.path
        projectName = project.config.project.name
        keys = plan.axes.map(\.key)
        points = plan.points.map { Point(name: $0.name, settings: $0.settings, configDigest: $0.configDigest) }
        self.tasks = tasks
        self.estimate = estimate
        self.executor = executor
    }

    var projectURL: URL { URL(fileURLWithPath: project, isDirectory: true) }
    public var clusterDirectory: URL { projectURL.appendingPathComponent(Self.directory) }
    public static func file(in project: URL) -> URL { project.appendingPathComponent(directory).appendingPathComponent(fileName) }
    public var file: URL { clusterDirectory.appendingPathComponent(Self.fileName) }
    public var logsDirectory: URL { clusterDirectory.appendingPathComponent("logs") }
    var resultsDirectory: URL { clusterDirectory.appendingPathComponent("results") }

    /// Where a task writes a point's result (by configuration digest, so a
    /// later submission's different numbering cannot mix them up).
    func resultFile(_ point: Point) -> URL { resultsDirectory.appendingPathComponent(point.configDigest + ".json") }

    /// Task `index`'s log: `<array>_<index>.log` (Slurm's `--output`), or `task-<index>.log`.
    public func logFile(task index: Int) -> URL {
        if executor == .slurm, let arrayJob {
            return logsDirectory.appendingPathComponent(Self.slurmLogName(array: arrayJob, task: String(index)))
        }
        return logsDirectory.appendingPathComponent("task-\(index).log")
    }

    /// A Slurm task's log name; `slurmLogName(array: "%A", task: "%a")` is the `--output` pattern.
    static func slurmLogName(array: String, task: String) -> String { "\(array)_\(task).log" }

    /// The log's path as results and messages show it: relative to the project.
    func displayLog(task index: Int) -> String { "\(Self.directory)/logs/" + logFile(task: index).lastPathComponent }

    public static func read(from file: URL) throws -> SweepManifest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(SweepManifest.self, from: Data(contentsOf: file))
        } catch {
            throw PipelineError("cannot read the sweep manifest \(file.path): \(error.localizedDescription)")
        }
    }

    public func write() throws {
        try FileManager.default.createDirectory(at: logsDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: resultsDirectory, withIntermediateDirectories: true)
        try DeterministicJSON.snakeCaseFile(self).write(to: file, options: .atomic)
    }

    /// The points the tasks build, task by task.
    public var taskPoints: [(task: Int, point: Point)] {
        tasks.enumerated().flatMap { task, indices in indices.map { (task, points[$0]) } }
    }

    /// The results the tasks have written so far, by configuration digest.
    public func taskResults() -> [String: SweepPointResult] {
        var results: [String: SweepPointResult] = [:]
        for point in points {
            guard let data = try? Data(contentsOf: resultFile(point)), let result = try? SweepPointResult.decode(data) else { continue }
            results[point.configDigest] = result
        }
        return results
    }
}
