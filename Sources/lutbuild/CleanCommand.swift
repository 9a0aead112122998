import ArgumentParser
import BuildGraph
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
        let removed = try await EngineCommand.reportingBuildErrors {
            try BuildEngine(layout: OutputLayout.engineLayout(root: project.directory.path)).clean()
        }
        removeEmptyDirectories(project.directory.appendingPathComponent(OutputLayout.generated))
        print("removed \(removed.count) generated file\(removed.count == 1 ? "" : "s") and the cache")
        _ = lock
    }

    /// Removes `folder` and its subfolders that hold no files.
    private func removeEmptyDirectories(_ folder: URL) {
        let manager = FileManager.default
        for child in (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [] {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: child.path, isDirectory: &isDirectory), isDirectory.boolValue {
                removeEmptyDirectories(child)
            }
        }
        if (try? manager.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? manager.removeItem(at: folder)
        }
    }
}
