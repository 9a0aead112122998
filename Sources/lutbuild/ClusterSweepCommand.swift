import ArgumentParser
import BuildGraph
import Foundation
import FrontEnd
import Pipeline
import ProjectFile
import Synchronization

/// Where `lutbuild sweep` builds its points.
enum SweepExecutor: String, ExpressibleByArgument, CaseIterable {
    case local, slurm, command

    var cluster: ClusterSubmission.Executor? { ClusterSubmission.Executor(rawValue: rawValue) }
}

/// `lutbuild sweep`'s cluster flags; each Slurm one overrides its `[sweep.slurm]` key.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Where points are built: local (this machine), slurm (a Slurm job array), command (a --launcher per point).")
    var executor: SweepExecutor = .local

    @Option(
        help: ArgumentHelp(
            "How --executor command starts one point, {cmd} standing for its command, e.g. 'bsub -K {cmd}'.",
            valueName: "TEMPLATE"))
    var launcher: String?

    @Flag(help: "Follow the submitted tasks ([k/n], failures named) until they are gathered.")
    var wait = false

    @Flag(help: "Report a cluster sweep's progress and gather its finished points into gen/sweep.")
    var status = false

    @Option(help: "Slurm partition (overrides [sweep.slurm] partition).") var partition: String?
    @Option(help: "Slurm account.") var account: String?
    @Option(help: ArgumentHelp("Time limit of one task, as Slurm writes it (30, 2:00:00).", valueName: "time")) var time: String?
    @Option(name: .customLong("cpus-per-task"), help: "CPUs of one task.") var cpusPerTask: Int?
    @Option(help: ArgumentHelp("Memory of one task, as Slurm writes it (4G).", valueName: "mem")) var mem: String?
    @Option(
        name: .customLong("sbatch-arg"),
        help: ArgumentHelp(
            "A further sbatch argument (repeatable), e.g. --sbatch-arg=--qos=short.",
            valueName: "arg"))
    var sbatchArgs: [String] = []
    @Option(
        name: .customLong("max-running"),
        help: "Tasks running at once (default: [sweep.slurm] max_running, else \(SlurmSettings.defaultMaxRunning)).")
    var maxRunning: Int?

    func validate() throws {
        if executor == .command, launcher?.contains(ClusterSubmission.placeholder) != true {
            throw ValidationError("--executor command needs --launcher 'TEMPLATE {cmd}', e.g. --launcher 'bsub -K {cmd}'")
        }
        if launcher != nil, executor != .command { throw ValidationError("--launcher goes with --executor command") }
        if wait, executor != .slurm {
            throw ValidationError("--wait follows a Slurm submission (--executor slurm); --executor command waits for its launchers anyway")
        }
        // The ranges of [sweep.slurm] max_running and cpus_per_task, which the flags override.
        if let maxRunning, !ProjectKeys.maxRunningRange.contains(maxRunning) {
            throw ValidationError("--max-running must be an \(KeyType.integer(ProjectKeys.maxRunningRange).documented)")
        }
        if let cpusPerTask, !ProjectKeys.cpusPerTaskRange.contains(cpusPerTask) {
            throw ValidationError("--cpus-per-task must be an \(KeyType.integer(ProjectKeys.cpusPerTaskRange).documented)")
        }
    }

    /// `[sweep.slurm]` with the flags given applied.
    func slurm(_ config: SlurmSettings) -> SlurmSettings {
        var settings = config
        settings.partition = partition ?? settings.partition
        settings.account = account ?? settings.account
        settings.time = time ?? settings.time
        settings.cpusPerTask = cpusPerTask ?? settings.cpusPerTask
        settings.mem = mem ?? settings.mem
        settings.extraArgs += sbatchArgs
        settings.maxRunning = maxRunning ?? settings.maxRunning
        return settings
    }
}

/// The printing around `ClusterSweep` for `lutbuild sweep`.
enum ClusterSweepCommand {
    static func submit(
        _ project: Project, plan: SweepPlan, executor: ClusterSubmission.Executor, options: ClusterOptions, estimate: Bool,
        remoteCache: RemoteCacheChoice, hasRemoteCache: Bool, interrupt: InterruptSignal
    ) async throws {
        try ClusterSweep.gatherEarlier(project)
        guard var manifest = ClusterSweep.manifest(project, plan: plan, estimate: estimate, executor: executor) else {
            printError("sweep: all \(plan.points.count) points finished earlier; see \(SweepRunner.directory)/results.csv")
            return
        }
        if !hasRemoteCache {
            printError(
                "warning: no remote cache: each task builds its point from nothing; set [cache] remote (a server, or file:///…"
                    + " on the shared filesystem)"
            )
        }
        let submission = ClusterSubmission(
            executor: executor, launcher: options.launcher, slurm: options.slurm(project.config.sweep.slurm),
            lutbuild: currentExecutable(), environment: remoteCache.childEnvironment)
        try ClusterSweep.begin(manifest)
        let toBuild = manifest.taskPoints.count, tasks = manifest.tasks.count
        let finishedEarlier = plan.points.count - toBuild
        printError(
            "sweep: \(plan.points.count) points, \(toBuild) to build\(finishedEarlier > 0 ? " (\(finishedEarlier) finished earlier)" : "")"
                + " in \(tasks) task\(tasks == 1 ? "" : "s") (points that share their training are one task)")
        switch executor {
        case .slurm:
            try submission.submitSlurm(&manifest)
            printError(
                "sweep: submitted job array \(manifest.arrayJob!) (\(tasks) task\(tasks == 1 ? "" : "s"), at most"
                    + " \(submission.slurm.maxRunning) at once) "
                    + "and collector job \(manifest.collectorJob!); logs in \(SweepManifest.directory)/logs")
            print("array \(manifest.arrayJob!)\ncollector \(manifest.collectorJob!)")
            guard options.wait else {
                printError("sweep: `lutbuild sweep --status` reports progress; results land in \(SweepRunner.directory)/results.json")
                return
            }
            let results: SweepResults
            do {
                results = try await ClusterSweep.follow(manifest, isCancelled: { interrupt.isRaised }) { point, done, total in
                    printError("[\(done)/\(total)] \(describe(point))")
                }
            } catch is CancellationError {
                printError(
                    "sweep: stopped following; the jobs go on (`lutbuild sweep --status`, or scancel \(manifest.arrayJob!)"
                        + " \(manifest.collectorJob!))"
                )
                throw CancellationError()
            }
            try finish(results, total: plan.points.count)
        case .command:
            let counter = SweepCommand.Counter()
            let failedLaunchers = Mutex([Int: String]())
            try await submission.runCommands(manifest, isCancelled: { interrupt.isRaised }) { index, status in
                let number = counter.next()
                if status != 0 { failedLaunchers.withLock { $0[index] = "the launcher returned \(status)" } }
                printError("[\(number)/\(tasks)] task \(index) returned \(status); log \(SweepManifest.directory)/logs/task-\(index).log")
            }
            // A launcher that returned 0 may have queued its task (bsub without -K): its points are still to come.
            let failed = failedLaunchers.withLock { $0 }
            let collected = try SweepCollector(manifest: manifest).collect(final: false, ended: Set(failed.keys), reasons: failed)
            if !collected.unfinished.isEmpty {
                printError("sweep: \(collected.unfinished.count) point(s) still to come; `lutbuild sweep --status` gathers them later")
            }
            try finish(collected.results, total: plan.points.count)
        }
    }

    /// `lutbuild sweep --status`.
    static func status(_ project: Project) throws {
        let status = try ClusterSweep.status(project)
        let manifest = status.manifest
        let failed = status.collected.failed
        let built = status.collected.results.points.count - failed.count
        var line =
            "sweep: \(manifest.points.count) points: \(built) built, \(failed.count) failed, \(status.collected.unfinished.count) to come"
        if let array = manifest.arrayJob { line += "; job array \(array): \(status.arrayState ?? "ended")" }
        if let collector = manifest.collectorJob { line += ", collector \(collector): \(status.collectorState ?? "ended")" }
        print(line)
        for point in failed { print("  " + describe(point)) }
        print("results: \(SweepRunner.directory)/results.json")
    }

    static func finish(_ results: SweepResults, total: Int) throws {
        let failed = results.points.filter { $0.error != nil }
        let front = results.points.filter(\.pareto).count
        printError(
            "sweep: \(results.points.count - failed.count) of \(total) points finished, \(front) on the Pareto front"
                + (failed.isEmpty ? "" : ", \(failed.count) failed") + "; see \(SweepRunner.directory)/results.csv and accuracy_vs_luts.svg"
        )
        if !failed.isEmpty {
            throw PipelineError(
                "\(failed.count) point\(failed.count == 1 ? "" : "s") failed: "
                    + failed.map { "\($0.name) (log \($0.log ?? "none"))" }.joined(separator: ", ")
                    + "; run the same sweep again to build them")
        }
    }

    static func describe(_ point: SweepPointResult) -> String {
        guard let error = point.error else { return SweepCommand.describe(point) }
        let settings = point.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(settings): failed: \(error) (log \(point.log ?? "none"))"
    }

    /// This `lutbuild`'s absolute path, which the tasks run (on a cluster it must be on the shared filesystem).
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

/// `lutbuild sweep-task`: what a cluster sweep's task and collector run (not for people).
struct SweepTaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-task", abstract: "Build one point of a cluster sweep's manifest, or gather them (run by the cluster).",
        shouldDisplay: false)

    @Option(help: "The sweep's manifest.json.") var manifest: String
    @Option(help: "The task to run.") var index: Int?
    @Flag(help: "Gather the tasks' results into gen/sweep.") var collect = false
    @Option(help: "Write the output here (launchers without their own log).") var log: String?
    @Option(help: "Steps to run at once (default: the CPUs allocated).") var jobs: Int?

    func validate() throws {
        if (index == nil) == !collect { throw ValidationError("give --index N or --collect") }
    }

    func run() async throws {
        if let log {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: log).deletingLastPathComponent(), withIntermediateDirectories: true)
            let descriptor = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0, dup2(descriptor, STDOUT_FILENO) >= 0, dup2(descriptor, STDERR_FILENO) >= 0 else {
                throw ValidationError("cannot write --log \(log)")
            }
            close(descriptor)
        }
        let manifest = try SweepManifest.read(from: URL(fileURLWithPath: manifest))
        if collect {
            let reasons = manifest.arrayJob.map(ClusterSubmission.slurmReasons) ?? [:]
            let collected = try SweepCollector(manifest: manifest).collect(final: true, reasons: reasons)
            printError("sweep: gathered \(collected.results.points.count) points, \(collected.failed.count) failed")
            return
        }
        let interrupt = InterruptSignal()
        let renderer = BuildEventRenderer.standardError(json: false)
        defer { renderer.finish() }
        let task = try SweepTask(manifest: manifest, index: index!)
        let result = try await task.run(
            concurrency: jobs, remoteCache: RemoteCacheChoice(),
            isCancelled: { interrupt.isRaised }, events: renderer.render
        ) { summary in
            renderer.note("task: \(BuildReport.summary(summary))")
        }
        for point in result { renderer.note("point: \(SweepCommand.describe(point))") }
    }
}
