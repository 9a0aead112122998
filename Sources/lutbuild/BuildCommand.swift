import ArgumentParser
import Pipeline

/// `lutbuild build`: today it loads and checks the project and its data and
/// prints what would be built; the build pipeline takes over this command.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Check the project and its dataset and summarise the network."
    )

    @OptionGroup var options: ProjectOption

    func run() throws {
        let summary = try reportingUserErrors {
            let project = try Project.open(path: options.project)
            return project.summary(of: try project.prepareData())
        }
        print(summary)
    }
}
