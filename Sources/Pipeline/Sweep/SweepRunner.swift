import Allocation
import BuildGraph
import Foundation
import Synchronization
import ProjectFile

/// Builds the points of a `SweepPlan` as one build of the project's engine:
/// every point's steps, renamed `sweep/<point>/<step>`, in one graph. Keys do
/// not depend on step names, so a step equal across points (the data, or
/// training when only RTL settings differ) and any step the project's own
/// build already made are reused from the project's cache; independent steps
/// of different points run in parallel within the cores (training steps, which
/// use every core, one at a time). The sweep keeps its own lock file
/// (`gen/sweep/sweep.lock`), so it never touches the project's `lutbuild.lock`
/// or `gen/`.
///
/// After each point finishes, `gen/sweep/results.json`, `results.csv` and
/// `accuracy_vs_luts.svg` are rewritten; a point found finished there with the
/// same configuration digest is not built again, so an interrupted sweep
/// resumes where it stopped.
public struct SweepRunner: Sendable {
    public let project: Project
    public let plan: SweepPlan
    /// Run the estimate step (LUTs, flip-flops and logic levels).
    public var estimate: Bool

    public static let directory = OutputLayout.sweep

    public init(project: Project, plan: SweepPlan, estimate: Bool = true) {
        self.project = project
        self.plan = plan
        self.estimate = estimate
    }

    public var resultsDirectory: URL { project.directory.appendingPathComponent(Self.directory) }

    /// `gen/sweep/points/<name>/reports`, where a point's reports are published.
    static func reportsPath(_ point: String) -> String { "\(directory)/points/\(point)/reports" }

    /// The graph of the points not yet finished, and each one's step count.
    /// Throws `CancellationError` once `isCancelled`: a large grid takes
    /// seconds to assemble, and Ctrl-C must not wait for it.
    func graph(of points: [SweepPlan.Point], isCancelled: () -> Bool = { false }) throws -> (graph: StepGraph, steps: [String: Int]) {
        var graph = StepGraph()
        var steps: [String: Int] = [:]
        let targets: Set<String> = estimate ? [TrainStep.id, EvaluateStep.id, EstimateStep.id] : [TrainStep.id, EvaluateStep.id]
        for point in points {
            if isCancelled() { throw CancellationError() }
            let pipeline = BuildPipeline(project: point.project, request: BuildRequest(verify: false, estimate: estimate))
            let own = try pipeline.graph().keeping(targets)
            steps[point.name] = own.stepIDs.count
            try graph.add(own, namespace: "sweep/\(point.name)") { path in
                // Only the reports are kept per point; RTL and tables stay in the cache.
                let reports = OutputLayout.reports + "/"
                return path.hasPrefix(reports) ? Self.reportsPath(point.name) + "/" + path.dropFirst(reports.count) : nil
            }
        }
        return (graph, steps)
    }

    /// Results of an earlier run of this sweep, by configuration digest: the
    /// points it built (one that failed on a cluster node is built again).
    func earlierResults() -> [String: SweepPointResult] {
        Self.earlierResults(in: resultsDirectory)
    }

    static func earlierResults(in directory: URL) -> [String: SweepPointResult] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("results.json")),
            let results = try? SweepResults.decode(data)
        else { return [:] }
        return Dictionary(results.points.filter { $0.error == nil }.map { ($0.configDigest, $0) }) { first, _ in first }
    }

    /// Builds every unfinished point, with `remoteCache` if given (its mode
    /// decides whether the sweep uploads). `pointFinished` is called once per
    /// finished point (reused ones first), with the results written so far.
    /// Throws what the build throws (`BuildFailure` names the failed steps;
    /// `CancellationError`); finished points are kept either way.
    @discardableResult
    public func run(
        concurrency: Int? = nil, remoteCache: RemoteCacheSettings? = nil, isCancelled: @escaping @Sendable () -> Bool = { false },
        events: @escaping @Sendable (BuildEvent) -> Void = { _ in },
        pointFinished: @escaping @Sendable (SweepPointResult, _ reused: Bool) -> Void = { _, _ in },
        built: (BuildSummary) -> Void = { _ in }
    ) async throws -> SweepResults {
        let earlier = earlierResults()
        let tracker = Tracker(runner: self)
        var pending: [SweepPlan.Point] = []
        for point in plan.points {
            if var result = earlier[point.configDigest] {
                result.name = point.name
                tracker.finish(result, reused: true, pointFinished)
            } else {
                pending.append(point)
            }
        }
        if pending.isEmpty {
            try tracker.write()
            return tracker.results
        }
        let (graph, steps) = try graph(of: pending, isCancelled: isCancelled)
        tracker.expect(steps, points: pending)
        let engine = BuildEngine(layout: OutputLayout.sweepEngineLayout(root: project.directory.path))
        let summary = try await engine.build(
            graph,
            options: BuildOptions(
                concurrency: concurrency ?? CPUAllocation.count, isCancelled: isCancelled,
                remoteCache: remoteCache)
        ) { event in
            events(event)
            tracker.handle(event, pointFinished)
        }
        built(summary)
        try tracker.write()
        return tracker.results
    }

    /// Counts each point's finished steps and records the point when all are done.
    final class Tracker: Sendable {
        struct State {
            var remaining: [String: Int] = [:]
            var seconds: [String: Double] = [:]
            var points: [String: SweepPlan.Point] = [:]
            var finished: [String: SweepPointResult] = [:]
            var writeError: (any Error)?
        }

        let runner: SweepRunner
        let state = Mutex(State())
        /// Serialises rewriting the files (taken before `state`, never inside it).
        let writing = Mutex(())

        init(runner: SweepRunner) { self.runner = runner }

        func expect(_ steps: [String: Int], points: [SweepPlan.Point]) {
            state.withLock { state in
                state.remaining = steps
                for point in points { state.points[point.name] = point }
            }
        }

        func handle(_ event: BuildEvent, _ pointFinished: @Sendable (SweepPointResult, Bool) -> Void) {
            let step: String, seconds: Double
            switch event {
            case .finished(let id, _, let time, _, _): (step, seconds) = (id, time)
            case .cached(let id, _, _): (step, seconds) = (id, 0)
            default: return
            }
            guard step.hasPrefix("sweep/") else { return }
            let name = String(step.dropFirst("sweep/".count).prefix { $0 != "/" })
            let done: SweepPlan.Point? = state.withLock { state in
                guard let remaining = state.remaining[name] else { return nil }
                state.seconds[name, default: 0] += seconds
                state.remaining[name] = remaining - 1
                return remaining == 1 ? state.points[name] : nil
            }
            guard let done else { return }
            let reports = runner.project.directory.appendingPathComponent(SweepRunner.reportsPath(done.name))
            let total = state.withLock { $0.seconds[done.name] ?? 0 }
            finish(
                SweepPointResult(point: done, results: BuildResults.read(reportsDirectory: reports), buildSeconds: total),
                reused: false, pointFinished)
        }

        func finish(_ result: SweepPointResult, reused: Bool, _ pointFinished: @Sendable (SweepPointResult, Bool) -> Void) {
            state.withLock { $0.finished[result.name] = result }
            do { try write() } catch { state.withLock { $0.writeError = error } }
            let marked = results.points.first { $0.name == result.name } ?? result
            pointFinished(marked, reused)
        }

        /// The finished points in grid order, the Pareto front marked.
        var results: SweepResults {
            let finished = state.withLock { $0.finished }
            return SweepResults(keys: runner.plan.axes.map(\.key), points: runner.plan.points.compactMap { finished[$0.name] })
        }

        /// Rewrites results.json, results.csv and the plot (atomically).
        func write() throws {
            try writing.withLock { _ in try writeFiles() }
        }

        private func writeFiles() throws {
            if let error = state.withLock({ $0.writeError }) { throw error }
            try results.write(to: runner.resultsDirectory, projectName: runner.project.config.project.name)
        }
    }
}
