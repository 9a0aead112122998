import ArgumentParser
import Diagnostics
import Foundation
import FrontEnd
import Pipeline

/// `lutbuild hooks`: git hooks that keep generated files and lutbuild.lock honest.
struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Manage lutbuild's git hooks in this repository.",
        subcommands: [HooksInstallCommand.self]
    )
}

/// `lutbuild hooks install`: pre-commit refuses stale outputs; post-checkout and post-merge report them.
struct HooksInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the pre-commit, post-checkout and post-merge hooks.",
        discussion: """
            Hooks go where git runs them (core.hooksPath if set, else .git/hooks). \
            A hook of your own is kept unless --force, which saves it as \
            NAME.before-lutbuild first. Re-installing updates lutbuild's hooks in place.
            """
    )

    /// May be a subfolder of the repository; the hooks are told where it is.
    @OptionGroup var options: ProjectOption

    @Flag(name: .long, help: "Replace hooks that are not lutbuild's (after a backup).")
    var force = false

    func run() throws {
        let folder = URL(fileURLWithPath: options.project).standardizedFileURL
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("lutbuild.toml").path) else {
            throw UserError.input("no lutbuild.toml in \(folder.path); pass --project DIR")
        }
        let outcomes = try HookInstaller(project: folder, force: force).install()
        var kept = false
        for outcome in outcomes {
            switch outcome.action {
            case .installed: print("installed \(outcome.path)")
            case .updated: print("updated   \(outcome.path)")
            case .unchanged: print("unchanged \(outcome.path)")
            case .replacedUserHook(let backup): print("replaced  \(outcome.path) (yours saved as \(backup))")
            case .keptUserHook:
                kept = true
                print("kept your own \(outcome.path); re-run with --force to replace it (it is backed up first)")
            }
        }
        if kept { throw ExitCode(1) }
    }
}
