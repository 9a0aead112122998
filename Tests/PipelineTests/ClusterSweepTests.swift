import Foundation
import TestSupport
import Testing
@testable import Pipeline
import ProjectFile

/// A cluster sweep's gathering and its `sbatch` options, without a cluster.
@Suite struct ClusterSweepTests {
    /// A manifest of three points in two tasks, in a fresh project folder.
    static func manifest(in directory: URL) throws -> SweepManifest {
        let json = """
            {"project": "\(directory.path)", "project_name": "demo", "keys": ["train.epochs"],
             "points": [
               {"name": "train.epochs=1", "settings": [{"key": "train.epochs", "value": "1"}], "config_digest": "aa"},
               {"name": "train.epochs=2", "settings": [{"key": "train.epochs", "value": "2"}], "config_digest": "bb"},
               {"name": "train.epochs=3", "settings": [{"key": "train.epochs", "value": "3"}], "config_digest": "cc"}],
             "tasks": [[0, 1], [2]], "estimate": true, "executor": "slurm", "array_job": "7"}
            """
        let file = directory.appendingPathComponent("manifest.json")
        try Data(json.utf8).write(to: file)
        let manifest = try SweepManifest.read(from: file)
        try manifest.write()
        return manifest
    }

    static func result(_ point: SweepManifest.Point, luts: Int) -> SweepPointResult {
        var result = SweepPointResult(failed: point, error: "", log: nil)
        result.error = nil
        result.luts = luts
        result.accuracy = 0.9
        return result
    }

    @Test func gatheringNamesWhatFailedAndWhatIsToCome() throws {
        let directorySandbox = try Sandbox("cluster-sweep")
        defer { directorySandbox.remove() }
        let directory = directorySandbox.url
        let manifest = try Self.manifest(in: directory)
        #expect(manifest.taskPoints.map { "\($0.task):\($0.point.name)" } == ["0:train.epochs=1", "0:train.epochs=2", "1:train.epochs=3"])
        #expect(manifest.logFile(task: 1).path.hasSuffix("gen/sweep/cluster/logs/7_1.log"))

        try Data(Self.result(manifest.points[0], luts: 40).jsonLine().utf8).write(to: manifest.resultFile(manifest.points[0]))
        let failed = SweepPointResult(failed: manifest.points[1], error: "training diverged", log: manifest.displayLog(task: 0))
        try Data(failed.jsonLine().utf8).write(to: manifest.resultFile(manifest.points[1]))

        let running = try SweepCollector(manifest: manifest).collect(final: false)
        #expect(running.unfinished == ["train.epochs=3"])
        #expect(running.results.points.map(\.name) == ["train.epochs=1", "train.epochs=2"])
        #expect(running.failed.map(\.error) == ["training diverged"])

        let over = try SweepCollector(manifest: manifest).collect(final: true, reasons: [1: "Slurm says CANCELLED"])
        #expect(over.unfinished.isEmpty)
        let lost = try #require(over.results.points.last)
        #expect(lost.error == "the task ended without a result (Slurm says CANCELLED): killed, out of time or memory?")
        #expect(lost.log == "gen/sweep/cluster/logs/7_1.log")
        #expect(lost.luts == nil && !lost.pareto)
        #expect(over.results.points.first?.pareto == true)

        // results.json keeps the failures; a later sweep counts only the built point as finished.
        let sweep = directory.appendingPathComponent(SweepRunner.directory)
        #expect(try SweepResults.decode(Data(contentsOf: sweep.appendingPathComponent("results.json"))).points.count == 3)
        #expect(SweepRunner.earlierResults(in: sweep).keys.sorted() == ["aa"])
    }

    @Test func sbatchOptionsComeFromTheSettingsInOneOrder() {
        let submission = ClusterSubmission(
            executor: .slurm,
            slurm: SlurmSettings(
                partition: "short", time: "1:00:00", cpusPerTask: 8,
                mem: "8G", extraArgs: ["--qos=normal"]),
            lutbuild: "/opt/lutbuild's/bin/lutbuild")
        #expect(submission.sbatchOptions() == ["--partition=short", "--time=1:00:00", "--cpus-per-task=8", "--mem=8G", "--qos=normal"])
        #expect(submission.sbatchOptions(collector: true) == ["--partition=short"])
        #expect(ClusterSubmission(executor: .slurm, slurm: SlurmSettings(), lutbuild: "l").sbatchOptions().isEmpty)
        #expect(ClusterSubmission.quoted("/opt/lutbuild's/bin") == #"'/opt/lutbuild'\''s/bin'"#)
        #expect(ClusterSubmission.isOver(nil) && ClusterSubmission.isOver("CANCELLED") && ClusterSubmission.isOver("COMPLETED"))
        #expect(!ClusterSubmission.isOver("PENDING") && !ClusterSubmission.isOver("RUNNING"))
        // Slurm unreachable is no end: the tasks' points are not failed for it.
        #expect(!ClusterSubmission.isOver(ClusterSubmission.unknown))
    }
}
