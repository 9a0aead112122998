import ArgumentParser
import BuildGraph
import Foundation
import FrontEnd
import Pipeline
import Synchronization

/// `lutbuild sweep --set KEY=V1,V2,… …`: build every combination as a variant
/// of the project and tabulate accuracy against LUTs.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Build every combination of --set values and compare accuracy against LUTs.",
        discussion: """
            Each --set KEY=V1,V2,… names a project-file key (train.epochs, model.fan_in, \
            model.layers[1].bits, …) and its values; the sweep builds the product of all \
            sets as variants of the project, sharing its cache, and writes \
            gen/sweep/results.json, results.csv and accuracy_vs_luts.svg (the Pareto front \
            marked). Like `lutbuild build`, it reads and writes the remote cache \
            ([cache] remote, LUTBUILD_REMOTE_CACHE or --remote-cache). Bad keys or values are reported before anything runs.\
             Ctrl-C stops at a \
            safe point; running the same sweep again resumes, and a finished point is never \
            built again. With --executor slurm, the points are built by one Slurm job array \
            and gathered by a collector job (--wait follows them, --status reports later); \
            --executor command --launcher 'TEMPLATE {cmd}' does the same through another \
            batch system.
            """
    )

    @OptionGroup var options: ProjectOption

    @Option(name: .customLong("set"), help: ArgumentHelp("A key and its values (repeatable).", valueName: "KEY=V1,V2,…"))
    var settings: [String] = []

    @Flag(name: .long, help: "Print one JSON object per finished point on stdout (keys settings, accuracy, luts, …).")
    var json = false

    @Flag(name: .customLong("no-estimate"), help: "Skip the resource estimate (no LUT counts).")
    var noEstimate = false

    @Flag(name: .customLong("no-wait"), help: "Fail instead of waiting when another build of this project runs.")
    var noWait = false

    @Option(name: .long, help: "Steps to run at once (default: the CPUs this process may use: affinity mask, cgroup quota).")
    var jobs: Int?

    @Option(name: .customLong("max-points"), help: "Refuse a grid of more points than this (default: \(SweepPlan.defaultMaxPoints)).")
    var maxPoints: Int = SweepPlan.defaultMaxPoints

    @OptionGroup var remoteCache: RemoteCacheOptions

    @OptionGroup(title: "On a cluster") var cluster: ClusterOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxPoints < 1 { throw ValidationError("--max-points must be at least 1") }
    }

    func run() async throws {
        let project = try EngineCommand.open(options)
        if cluster.status { return try ClusterSweepCommand.status(project) }
        // Before planning, which can take seconds that Ctrl-C must be able to cut short.
        let interrupt = InterruptSignal()
        let planning = PlanningProgress()
        let plan = try SweepPlan.make(
            project, arguments: settings, maxPoints: maxPoints,
            isCancelled: { interrupt.isRaised }, progress: planning.report)
        let remote = try remoteCache.choice.settings(for: project.config.cache, projectDirectory: project.directory)
        if let executor = cluster.executor.cluster {
            return try await ClusterSweepCommand.submit(
                project, plan: plan, executor: executor, options: cluster, estimate: !noEstimate,
                remoteCache: remoteCache.choice, hasRemoteCache: remote != nil, interrupt: interrupt)
        }
        let runner = SweepRunner(project: project, plan: plan, estimate: !noEstimate)
        let lock = try EngineCommand.lock(project, wait: !noWait)
        defer { _ = lock }
        let renderer = BuildEventRenderer.standardError(json: false)
        let total = plan.points.count
        let json = json
        let counter = Counter()
        let axes = plan.axes.map { "\($0.key): \($0.values.count)" }.joined(separator: " × ")
        printError("sweep: \(total) point\(total == 1 ? "" : "s") (\(axes))")
        let results: SweepResults
        do {
            defer { renderer.finish() }
            results = try await runner.run(
                concurrency: jobs, remoteCache: remote,
                isCancelled: { interrupt.isRaised }, events: renderer.render
            ) { point, reused in
                let number = counter.next()
                renderer.note("point \(number)/\(total)\(reused ? " (finished earlier)" : ""): \(Self.describe(point))")
                if json, let line = try? point.jsonLine() {
                    print(line)
                    // As each point finishes, also when stdout is a file or a pipe (fully buffered).
                    fflush(nil)
                }
            }
        } catch is CancellationError {
            printError("finished points are kept in \(SweepRunner.directory)/results.json; run the same sweep again to resume")
            throw CancellationError()
        }
        let front = results.points.filter { $0.pareto }.count
        printError(
            "sweep: \(results.points.count) of \(total) points finished, \(front) on the Pareto front; "
                + "see \(SweepRunner.directory)/results.csv and accuracy_vs_luts.svg")
    }

    static func describe(_ point: SweepPointResult) -> String {
        let settings = point.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let accuracy = point.accuracy.map { String(format: "%.2f%%", $0 * 100) } ?? "no accuracy"
        let luts = point.luts.map { "\($0) LUTs" } ?? "no LUT count"
        return "\(settings): \(accuracy), \(luts)"
    }

    /// Prints `sweep: checking points i/N` at most once a second, so a long
    /// planning is not silent.
    final class PlanningProgress {
        private var last = Date()
        func report(checked: Int, total: Int) {
            guard Date().timeIntervalSince(last) >= 1, checked < total else { return }
            last = Date()
            printError("sweep: checking points \(checked)/\(total)")
        }
    }

    /// Numbers points in the order they finish.
    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int {
            value.withLock {
                $0 += 1
                return $0
            }
        }
    }
}
