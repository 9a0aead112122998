import ArgumentParser
import BuildGraph
import Foundation
import Pipeline

/// `lutbuild gc`: drop cached results nothing refers to any more.
struct GcCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete cached objects referenced neither by lutbuild.lock nor by the last builds."
    )

    @OptionGroup var options: ProjectOption

    @Option(name: .customLong("keep-builds"), help: "Also keep what the last N builds produced.")
    var keepBuilds = BuildOptions.defaultKeptBuilds

    func validate() throws {
        guard keepBuilds >= 0 else { throw ValidationError("--keep-builds must be 0 or more") }
    }

    func run() async throws {
        let project = try EngineCommand.open(options)
        let lock = try EngineCommand.lock(project, wait: true)
        let report = try BuildPipeline(project: project).collectGarbage(keepBuilds: keepBuilds)
        let megabytes = String(format: "%.1f", Double(report.removedBytes) / 1_048_576)
        let temporaries =
            report.removedTemporaries == 0
            ? ""
            : " and \(report.removedTemporaries) temporar\(report.removedTemporaries == 1 ? "y" : "ies") of interrupted builds"
        print(
            "removed \(report.removedObjects) cached object\(report.removedObjects == 1 ? "" : "s")\(temporaries) (\(megabytes)"
                + " MB), kept \(report.keptObjects)"
        )
        _ = lock
    }
}
