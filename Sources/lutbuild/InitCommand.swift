import ArgumentParser
import Foundation
import Pipeline

/// `lutbuild init [dir]`: start a project from the built-in digits template.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a starter project (8x8 digits data, small network) in a folder.",
        discussion: "Refuses to overwrite any existing file: lists them and writes nothing (exit 2)."
    )

    @Argument(help: "Folder to create the project in (created if missing).")
    var directory: String = "."

    func run() throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let written = try ProjectTemplate.install(into: url, displayName: directory)
        print("created a lutbuild project in \(directory):")
        for path in written { print("  \(path)") }
        let cd = directory == "." ? "" : "cd \(directory) && "
        print("next: \(cd)lutbuild build")
    }
}
