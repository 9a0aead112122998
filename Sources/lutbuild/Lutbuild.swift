import ArgumentParser
import Foundation

/// The `lutbuild` command line: one subcommand per file, listed here one per line.
@main
struct Lutbuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lutbuild",
        abstract: "Turn a dataset into an ultra-low-latency NeuraLUT network in FPGA logic.",
        discussion: "Run it in a folder holding lutbuild.toml, or pass --project DIR. Start with `lutbuild init`.",
        version: LutbuildVersionText.text,
        subcommands: [
            InitCommand.self,
            BuildCommand.self,
            StatusCommand.self,
            VerifyCommand.self,
            SweepCommand.self,
            SweepTaskCommand.self,
            EstimateCommand.self,
            ExplainCommand.self,
            CleanCommand.self,
            GcCommand.self,
            WatchCommand.self,
            HooksCommand.self,
            ReportCommand.self,
            VersionCommand.self,
        ]
    )

    /// Parses and runs the command; every error goes to `ErrorReporter`.
    static func main() async {
        do {
            var command = try parseAsRoot(BuildCommand.expandingBareAudit(Array(CommandLine.arguments.dropFirst())))
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            ErrorReporter.exit(reporting: error)
        }
    }
}
