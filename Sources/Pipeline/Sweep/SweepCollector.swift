import Foundation

/// Gathers a cluster sweep's task results into the ordinary sweep's files
/// (`gen/sweep/results.{json,csv}`, the plot): points finished earlier, then
/// each task's result, in grid order. With `final`, a task that left no
/// result is a failure naming its log (and the scheduler's last word on it).
public struct SweepCollector: Sendable {
    public let manifest: SweepManifest

    public init(manifest: SweepManifest) {
        self.manifest = manifest
    }

    public struct Collected: Sendable {
        public var results: SweepResults
        /// Points of the tasks without a result yet (none when `final`).
        public var unfinished: [String]
        public var failed: [SweepPointResult] { results.points.filter { $0.error != nil } }
    }

    /// `ended`: tasks known to be over although the sweep is not (a launcher
    /// that failed); `reasons`: what is known of how a task ended
    /// (`Slurm says CANCELLED`, `the launcher returned 1`).
    @discardableResult
    public func collect(final: Bool, ended: Set<Int> = [], reasons: [Int: String] = [:]) throws -> Collected {
        let sweep = manifest.projectURL.appendingPathComponent(SweepRunner.directory)
        let earlier = SweepRunner.earlierResults(in: sweep)
        let finished = manifest.taskResults()
        var byDigest: [String: SweepPointResult] = [:]
        var unfinished: [String] = []
        for (task, point) in manifest.taskPoints {
            if let result = finished[point.configDigest] {
                byDigest[point.configDigest] = result
            } else if final || ended.contains(task) {
                let state = reasons[task].map { " (\($0))" } ?? ""
                byDigest[point.configDigest] = SweepPointResult(
                    failed: point, error: "the task ended without a result\(state): killed, out of time or memory?",
                    log: manifest.displayLog(task: task))
            } else {
                unfinished.append(point.name)
            }
        }
        for (digest, result) in earlier { byDigest[digest] = result }
        let points = manifest.points.compactMap { point -> SweepPointResult? in
            guard var result = byDigest[point.configDigest] else { return nil }
            result.name = point.name
            return result
        }
        let results = SweepResults(keys: manifest.keys, points: points)
        try results.write(to: sweep, projectName: manifest.projectName)
        return Collected(results: results, unfinished: unfinished)
    }
}
