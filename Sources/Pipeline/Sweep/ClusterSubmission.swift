import Diagnostics
import Foundation
import ProjectFile
import Subprocess

/// Submits a cluster sweep's tasks and follows them: one throttled Slurm job
/// array (`sbatch --array=0-N%K`) and a collector job that runs when every
/// task has ended, whatever its end (`--dependency=afterany`: with `afterok`,
/// one failed task would leave the collector pending forever); or, for other
/// batch systems, a launcher command per task (`bsub -K {cmd}`, `qsub -sync y
/// … {cmd}`, `srun {cmd}`), at most K at a time, collected when all return.
public struct ClusterSubmission: Sendable {
    public enum Executor: String, Sendable, CaseIterable, Codable {
        case slurm, command
    }

    public var executor: Executor
    /// `{cmd}` is replaced by the task's command line (executor `command`).
    public var launcher: String?
    public var slurm: SlurmSettings
    /// The `lutbuild` the tasks run; on a cluster, on the shared filesystem.
    public var lutbuild: String
    /// Added to the environment of `sbatch` (which hands its environment to the
    /// jobs) or of each launcher: the remote cache given on the command line.
    public var environment: [String: String]

    public static let placeholder = "{cmd}"

    public init(executor: Executor, launcher: String? = nil, slurm: SlurmSettings, lutbuild: String, environment: [String: String] = [:]) {
        self.executor = executor
        self.launcher = launcher
        self.slurm = slurm
        self.lutbuild = lutbuild
        self.environment = environment
    }

    /// A word the shell passes through unchanged.
    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The command task `index` (or, with nil, the collector) runs.
    func command(_ manifest: SweepManifest, task index: String?, log: URL? = nil) -> String {
        var words = [Self.quoted(lutbuild), "sweep-task", "--manifest", Self.quoted(manifest.file.path)]
        if let index { words += ["--index", index] } else { words += ["--collect"] }
        if let log { words += ["--log", Self.quoted(log.path)] }
        return words.joined(separator: " ")
    }

    /// `--partition` … and the extra arguments of the tasks, as `sbatch` takes
    /// them; the collector, which only gathers files, runs with the partition
    /// and account alone.
    func sbatchOptions(collector: Bool = false) -> [String] {
        let placement = [("--partition", slurm.partition), ("--account", slurm.account)]
        let size = [("--time", slurm.time), ("--cpus-per-task", slurm.cpusPerTask.map(String.init)), ("--mem", slurm.mem)]
        return (collector ? placement : placement + size).compactMap { name, value in value.map { "\(name)=\($0)" } }
            + (collector ? [] : slurm.extraArgs)
    }

    /// Submits the array and the collector; the manifest gets their ids (and is written).
    public func submitSlurm(_ manifest: inout SweepManifest) throws {
        let logs = manifest.logsDirectory.path
        let array = try Self.sbatch(
            [
                "--parsable", "--job-name=lutbuild-sweep", "--array=0-\(manifest.tasks.count - 1)%\(slurm.maxRunning)",
                "--output=\(logs)/\(SweepManifest.slurmLogName(array: "%A", task: "%a"))", "--chdir=\(manifest.project)",
            ] + sbatchOptions() + ["--wrap", "exec " + command(manifest, task: "\"$SLURM_ARRAY_TASK_ID\"")], environment: environment)
        manifest.arrayJob = array
        try manifest.write()
        let collector = try Self.sbatch(
            [
                "--parsable", "--job-name=lutbuild-sweep-collect", "--dependency=afterany:\(array)", "--output=\(logs)/collect-%j.log",
                "--chdir=\(manifest.project)", "--ntasks=1",
            ] + sbatchOptions(collector: true) + ["--wrap", "exec " + command(manifest, task: nil)], environment: environment)
        manifest.collectorJob = collector
        try manifest.write()
    }

    /// Runs each task through the launcher, at most `slurm.maxRunning` at once,
    /// until all have returned; `taskFinished` hears each (index, exit status).
    public func runCommands(
        _ manifest: SweepManifest, isCancelled: @escaping @Sendable () -> Bool,
        taskFinished: @escaping @Sendable (Int, Int32) -> Void
    ) async throws {
        guard let launcher else {
            throw PipelineError("--executor command needs --launcher 'TEMPLATE {cmd}'", exitCode: UserError.usageExitCode)
        }
        let commands = manifest.tasks.indices.map { index in
            launcher.replacingOccurrences(
                of: Self.placeholder,
                with: command(manifest, task: String(index), log: manifest.logFile(task: index)))
        }
        let environment = ProcessInfo.processInfo.environment.merging(self.environment) { _, new in new }
        try await withThrowingTaskGroup(of: (Int, Int32).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                group.addTask {
                    (
                        index,
                        try Self.run("/bin/sh", ["-c", commands[index]], environment: environment, timeout: nil, isCancelled: isCancelled)
                            .status
                    )
                }
            }
            while next < min(commands.count, slurm.maxRunning) { start() }
            while let (index, status) = try await group.next() {
                taskFinished(index, status)
                if next < commands.count { start() }
            }
        }
    }

    /// Slurm's word on a job: its state (`PENDING`, `RUNNING`, `COMPLETED`,
    /// `CANCELLED`, …), nil once Slurm has forgotten it (`MinJobAge` after its
    /// end), `unknown` when Slurm cannot be asked (which is not an end).
    public static func slurmState(_ job: String) -> String? {
        guard let result = try? run("squeue", ["-h", "-t", "all", "-j", job, "-o", "%T"]) else { return unknown }
        guard result.status == 0 else { return result.output.contains("Invalid job id") ? nil : unknown }
        return result.output.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// The state of a job Slurm could not be asked about.
    public static let unknown = "unknown (squeue failed)"

    /// What Slurm says of the array's tasks it still knows (`Slurm says CANCELLED`), by task index.
    public static func slurmReasons(_ array: String) -> [Int: String] {
        slurmTaskStates(array).mapValues { "Slurm says \($0)" }
    }

    /// The states of the array's tasks Slurm still knows, by task index.
    public static func slurmTaskStates(_ array: String) -> [Int: String] {
        guard let result = try? run("squeue", ["-h", "-t", "all", "-j", array, "-o", "%K %T"]), result.status == 0 else { return [:] }
        var states: [Int: String] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let index = Int(fields[0]) { states[index] = String(fields[1]) }
        }
        return states
    }

    /// Whether a state is one a job leaves no more.
    public static func isOver(_ state: String?) -> Bool {
        guard let state else { return true }
        return state != unknown
            && ![
                "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "REQUEUE_HOLD", "REQUEUE_FED",
                "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD", "SPECIAL_EXIT",
            ].contains(state)
    }

    /// `sbatch …`, its job id (`--parsable` prints `id` or `id;cluster`).
    static func sbatch(_ arguments: [String], environment: [String: String]) throws -> String {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let result = try run("sbatch", arguments, environment: merged)
        guard result.status == 0, let id = result.output.split(separator: "\n").last.map({ String($0.prefix { $0 != ";" }) }),
            !id.isEmpty, id.allSatisfy(\.isNumber)
        else {
            throw PipelineError("sbatch failed (status \(result.status)): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return id
    }

    /// Runs a program found on `PATH` (or at an absolute path) to completion under `ExternalTool` (its
    /// own process group, gone with lutbuild); stdout then stderr. `timeout` (seconds) bounds Slurm's
    /// commands, which can wait minutes for an unreachable controller; nil: none (launchers).
    static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Double? = 60,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> (status: Int32, output: String) {
        let path = program.hasPrefix("/") ? program : ExternalTool.find(program)
        guard let path else {
            throw PipelineError(
                "\(program) was not found on PATH: run lutbuild sweep --executor slurm where Slurm's commands are (a login node)")
        }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let result = try ExternalTool.capture(
            path, arguments, in: here, scratch: FileManager.default.temporaryDirectory,
            environment: environment, timeout: timeout ?? .greatestFiniteMagnitude,
            isCancelled: isCancelled)
        return (result.status, String(decoding: result.standardOutput + result.standardError, as: UTF8.self))
    }
}
