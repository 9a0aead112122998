import ArgumentParser
import Foundation
import Pipeline

/// `lutbuild clean`: remove generated outputs and the local cache.
struct CleanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove the generated files (gen/) and the local cache (.lutbuild/); keep lutbuild.lock."
    )

    @OptionGroup var options: ProjectOption

    func run() async throws {
        let project = try EngineCommand.open(options)
        let lock = try EngineCommand.lock(project, wait: true)
        let removed = try BuildPipeline(project: project).clean()
        print("removed \(removed.count) generated file\(removed.count == 1 ? "" : "s") and the cache")
        _ = lock
    }
}
