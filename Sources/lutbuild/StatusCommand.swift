import ArgumentParser
import Foundation
import Pipeline

/// `lutbuild status`: is the project file valid, and is there a lock file?
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say whether the project file is valid and whether lutbuild.lock exists."
    )

    @OptionGroup var options: ProjectOption

    func run() throws {
        let project = try reportingUserErrors { try Project.open(path: options.project) }
        print("project  \(project.configFileName) is valid (\(project.config.project.name))")
        let lockName = project.displayDirectory + "lutbuild.lock"
        if FileManager.default.fileExists(atPath: project.lockFile.path) {
            print("lock     \(lockName) present")
        } else {
            print("lock     \(lockName) absent (nothing built yet)")
        }
    }
}
