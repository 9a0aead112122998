import ArgumentParser
import ProjectFile

/// `--project DIR`, shared by the commands that work on a project.
struct ProjectOption: ParsableArguments {
    @Option(name: .long, help: "Project folder (the one holding lutbuild.toml).")
    var project: String = "."
}
