import Foundation
import SlurmCluster
import Testing
import TestSupport

/// `lutbuild sweep --executor slurm` on a real one-node Slurm cluster
/// (`SlurmCluster`), its tasks tied together by a remote cache that is a
/// directory (`file://`), as on a cluster without a cache server.
@Suite(.serialized) struct SlurmSweepTests {
    /// A 2×2 grid: two trainings, each with two register settings.
    static let grid = ["--set", "train.epochs=1,2", "--set", "rtl.registers=\"every-layer\",none"]

    /// `results.json` without its timing fields.
    static func untimed(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("\"build_seconds\"") }.joined(separator: "\n")
    }

    /// `lutbuild sweep …` against `cluster`; the tasks' node-local scratch is
    /// `nodes` (a killed task leaves its scratch behind, as on a real node).
    static func sweep(_ arguments: [String], in project: TinyProject, cluster: SlurmCluster, nodes: Scratch) throws -> LutbuildBinary.Result
    {
        guard let lutbuild = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        let environment = ProcessInfo.processInfo.environment.merging(cluster.environment) { _, new in new }
            .merging(["LUTBUILD_SCRATCH": nodes.url.path]) { _, new in new }
        return try LutbuildBinary.runProcess(lutbuild, ["sweep"] + arguments, in: project.url, environment: environment)
    }

    /// The Slurm sweep's results equal the local sweep's, byte for byte apart
    /// from timing; a second submission of the same grid submits nothing.
    @Test func aSlurmSweepEqualsTheLocalSweep() throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let cache = try Scratch()
        defer { cache.remove() }
        let remote = ["--remote-cache", "file://" + cache.url.path]

        let local = try TinyProject()
        defer { local.remove() }
        let localStart = Date()
        let localRun = try LutbuildBinary.run(["sweep"] + Self.grid, in: local.url)
        let localSeconds = Date().timeIntervalSince(localStart)
        #expect(localRun.status == 0, "\(localRun.stderr)")

        let project = try TinyProject()
        defer { project.remove() }
        let start = Date()
        let run = try Self.sweep(["--executor", "slurm", "--wait"] + Self.grid + remote, in: project, cluster: cluster, nodes: cache)
        let slurmSeconds = Date().timeIntervalSince(start)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("[4/4] "), "\(run.stderr)")
        #expect(run.stdout.hasPrefix("array "), "\(run.stdout)")
        let expected = try Self.untimed(local.scratch.read("gen/sweep/results.json"))
        let actual = try Self.untimed(project.scratch.read("gen/sweep/results.json"))
        #expect(actual == expected)
        #expect(try project.scratch.read("gen/sweep/results.csv").split(separator: "\n").count == 5)
        #expect(project.scratch.exists("gen/sweep/accuracy_vs_luts.svg"))
        #expect(project.scratch.exists("gen/sweep/points/train.epochs=1,rtl.registers=none/reports"))
        // The tasks shared the directory cache: entries landed there, written whole (no temporary file left).
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path("cas").path)
        #expect(!entries.isEmpty)
        #expect(!entries.contains { $0.hasPrefix(".tmp-") }, "\(entries)")
        print("figures: local sweep \(String(format: "%.1f", localSeconds)) s, Slurm sweep \(String(format: "%.1f", slurmSeconds)) s")

        // Submitting the same grid again submits nothing.
        let again = try Self.sweep(["--executor", "slurm", "--wait"] + Self.grid + remote, in: project, cluster: cluster, nodes: cache)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("all 4 points finished earlier"), "\(again.stderr)")
        #expect(try Self.untimed(project.scratch.read("gen/sweep/results.json")) == expected)
    }

    /// Equal steps are fetched, not rerun: a fresh checkout's Slurm sweep of a
    /// grid the shared cache holds runs no step on any node. Prints the figures
    /// of docs/sweep.md: cold and warm wall times, Slurm's own per-task cost.
    @Test func aWarmSweepFetchesEveryStep() throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let cache = try Scratch()
        defer { cache.remove() }
        let remote = ["--remote-cache", "file://" + cache.url.path]
        let cold = try TinyProject()
        defer { cold.remove() }
        var start = Date()
        let first = try Self.sweep(["--executor", "slurm", "--wait"] + Self.grid + remote, in: cold, cluster: cluster, nodes: cache)
        let coldSeconds = Date().timeIntervalSince(start)
        try #require(first.status == 0, "\(first.stderr)")

        let warm = try TinyProject()
        defer { warm.remove() }
        start = Date()
        let second = try Self.sweep(["--executor", "slurm", "--wait"] + Self.grid + remote, in: warm, cluster: cluster, nodes: cache)
        let warmSeconds = Date().timeIntervalSince(start)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Self.untimed(warm.scratch.read("gen/sweep/results.json")) == Self.untimed(cold.scratch.read("gen/sweep/results.json")))
        let logs = try FileManager.default.contentsOfDirectory(atPath: warm.scratch.path("gen/sweep/cluster/logs").path)
            .filter { !$0.hasPrefix("collect") }
        // Points sharing their training are one task: two tasks for two trainings.
        #expect(logs.count == 2, "\(logs)")
        var fetched = 0
        for log in logs {
            let text = try warm.scratch.read("gen/sweep/cluster/logs/\(log)")
            let summary = text.split(separator: "\n").first { $0.contains("task: ran ") } ?? ""
            #expect(summary.contains("task: ran 0 steps"), "\(log): \(text)")
            if let range = summary.range(of: #"\((\d+) results? from the remote cache\)"#, options: .regularExpression) {
                fetched += Int(summary[range].dropFirst().prefix { $0.isNumber }) ?? 0
            }
        }
        #expect(fetched > 0)

        // Slurm's own cost: the same shape (4 tasks, 2 at once, a collector) running `true`.
        start = Date()
        let array = try cluster.run("sbatch", ["--parsable", "--array=0-3%10", "--output=/dev/null", "--wrap", "true"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let collector = try cluster.run("sbatch", ["--parsable", "--dependency=afterany:\(array)", "--output=/dev/null", "--wrap", "true"])
            .output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try waitUntil(seconds: 120) {
            try cluster.run("squeue", ["-h", "-t", "all", "-j", collector, "-o", "%T"]).output.contains("COMPLETED")
        }
        let emptySeconds = Date().timeIntervalSince(start)
        print(
            String(
                format: "figures: Slurm sweep cold %.1f s, warm (fresh checkout) %.1f s, %d steps fetched rather than run; "
                    + "an empty 4-task array and its collector %.1f s (%.2f s per task)",
                coldSeconds, warmSeconds, fetched, emptySeconds, emptySeconds / 4))
    }

    /// A task killed on its node: the collector still gathers the others and
    /// names the failure and its log; a re-run builds only that point.
    @Test func aKilledTaskIsNamedAndTheOthersLand() throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let cache = try Scratch()
        defer { cache.remove() }
        let remote = ["--remote-cache", "file://" + cache.url.path]
        let project = try TinyProject()
        defer { project.remove() }

        let submitted = try Self.sweep(
            ["--executor", "slurm", "--max-running", "1"] + Self.grid + remote, in: project, cluster: cluster, nodes: cache)
        try #require(submitted.status == 0, "\(submitted.stderr)")
        let ids = Dictionary(
            uniqueKeysWithValues: submitted.stdout.split(separator: "\n").map { line in
                let fields = line.split(separator: " ")
                return (String(fields[0]), String(fields.last!))
            })
        let array = try #require(ids["array"]), collector = try #require(ids["collector"])

        // Kill the first task once it runs.
        try waitUntil(seconds: 120) { try cluster.run("squeue", ["-h", "-j", "\(array)_0", "-o", "%T"]).output.contains("RUNNING") }
        // As a node that dies would: SIGKILL to the task's lutbuild, which writes nothing.
        let manifest = project.scratch.path("gen/sweep/cluster/manifest.json").path
        var task: pid_t?
        try waitUntil(seconds: 60) {
            let found = try ProcessRunner.run(tool: "pgrep", ["-f", "sweep-task --manifest \(manifest) --index 0"])
            task = found.stdout.split(separator: "\n").first.flatMap { pid_t($0) }
            return task != nil
        }
        Thread.sleep(forTimeInterval: 1)
        kill(task!, SIGKILL)
        try waitUntil(seconds: 600) {
            let state = try cluster.run("squeue", ["-h", "-t", "all", "-j", collector, "-o", "%T"]).output
            return state.contains("COMPLETED") || state.contains("FAILED")
        }

        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: project.scratch.path("gen/sweep/results.json"))) as? [String: Any])
        let points = try #require(results["points"] as? [[String: Any]])
        #expect(points.count == 4)
        // Task 0 holds the two points of the 1-epoch training; at least the one
        // being built when the task died failed; the 2-epoch points landed.
        let failed = points.filter { $0["error"] != nil }
        #expect((1...2).contains(failed.count), "\(points)")
        #expect(failed.allSatisfy { ($0["name"] as? String)?.hasPrefix("train.epochs=1,") == true }, "\(failed)")
        #expect(failed.allSatisfy { ($0["error"] as? String)?.contains("the task ended without a result") == true }, "\(failed)")
        #expect(failed.allSatisfy { $0["log"] as? String == "gen/sweep/cluster/logs/\(array)_0.log" }, "\(failed)")
        #expect(points.filter { $0["error"] == nil }.allSatisfy { ($0["luts"] as? Int ?? 0) > 0 }, "\(points)")

        let status = try Self.sweep(["--status"], in: project, cluster: cluster, nodes: cache)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\(4 - failed.count) built, \(failed.count) failed"), "\(status.stdout)")
        #expect(status.stdout.contains(", train.epochs=1: failed: the task ended without a result"), "\(status.stdout)")

        // Again: only the failed points are submitted.
        let again = try Self.sweep(["--executor", "slurm", "--wait"] + Self.grid + remote, in: project, cluster: cluster, nodes: cache)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("\(failed.count) to build (\(4 - failed.count) finished earlier) in 1 task"), "\(again.stderr)")
        #expect(again.stderr.contains("[\(failed.count)/\(failed.count)] "), "\(again.stderr)")
        // Following the new tasks reports their new results, not the earlier failure.
        #expect(!again.stderr.contains("without a result"), "\(again.stderr)")
        let final = try String(contentsOf: project.scratch.path("gen/sweep/results.json"), encoding: .utf8)
        #expect(!final.contains("\"error\""), "\(final)")
    }

    func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Issue.record("timed out after \(Int(seconds)) s")
        throw CancellationError()
    }
}

/// `--executor command --launcher 'TEMPLATE {cmd}'`: the same tasks through
/// any launcher (here `env`, as `bsub -K` or `srun` would run them).
@Suite struct CommandExecutorSweepTests {
    @Test func aLauncherRunsEachTaskAndTheResultsAreGathered() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let run = try LutbuildBinary.run(
            [
                "sweep", "--executor", "command", "--launcher", "env LUTBUILD_SCRATCH=/tmp {cmd}",
                "--set", "train.epochs=1,2",
            ], in: project.url)
        #expect(run.status == 0, "\(run.stderr)")
        // Two trainings, two tasks, running at once.
        #expect(run.stderr.contains("[2/2] task "), "\(run.stderr)")
        #expect(project.scratch.exists("gen/sweep/cluster/logs/task-0.log") && project.scratch.exists("gen/sweep/cluster/logs/task-1.log"))
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: project.scratch.path("gen/sweep/results.json"))) as? [String: Any])
        let points = try #require(results["points"] as? [[String: Any]])
        #expect(points.count == 2 && points.allSatisfy { ($0["luts"] as? Int ?? 0) > 0 && $0["error"] == nil }, "\(points)")

        // A launcher that fails: its point is named with the launcher's status and its log, exit code 1.
        let refused = try LutbuildBinary.run(
            ["sweep", "--executor", "command", "--launcher", "false {cmd}", "--set", "train.epochs=3"],
            in: project.url)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(
            refused.stderr.contains("error: 1 point failed: train.epochs=3 (log gen/sweep/cluster/logs/task-0.log)"), "\(refused.stderr)")
        let json = try project.scratch.read("gen/sweep/results.json")
        #expect(json.contains("the task ended without a result (the launcher returned 1)"), "\(json)")

        let missing = try LutbuildBinary.run(["sweep", "--executor", "command", "--set", "train.epochs=3"], in: project.url)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--executor command needs --launcher"), "\(missing.stderr)")
    }
}
