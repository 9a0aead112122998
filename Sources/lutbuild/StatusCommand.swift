import ArgumentParser
import BuildGraph
import Foundation
import FrontEnd
import Pipeline

/// `lutbuild status`: what is stale, edited by hand or missing.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List stale steps, hand-edited or missing outputs, and steps a build reruns for want of a cached result.",
        discussion: """
            With --check, exit 1 unless everything is up to date (for git hooks and CI). \
            With --verify, every file is read again, for edits that kept a file's size and time. \
            It checks what `lutbuild build` with the same --no-verify, --no-estimate and \
            --simulator flags brings up to date (the simulator is part of verify's key).
            """
    )

    @OptionGroup var options: ProjectOption

    @Flag(name: .long, help: "Exit with status 1 when anything is stale, edited or missing.")
    var check = false

    @Flag(name: .long, help: "Read and hash every file again instead of trusting unchanged sizes and times.")
    var verify = false

    @OptionGroup var flags: BuildFlags

    func run() async throws {
        let project = try EngineCommand.open(options)
        let report = try BuildPipeline(project: project, request: flags.request()).status(verify: verify)
        let lines = BuildReport.explanation(report.stale)
        for line in lines.prefix(40) { print("stale    \(line)") }
        if lines.count > 40 { print("stale    … and \(lines.count - 40) more lines (see `lutbuild explain`)") }
        for path in report.edited.prefix(40) { print("edited   \(path) (differs from lutbuild.lock; a build rewrites it)") }
        if report.edited.count > 40 { print("edited   … and \(report.edited.count - 40) more files") }
        for path in report.missing.prefix(40) { print("missing  \(path)") }
        if report.missing.count > 40 { print("missing  … and \(report.missing.count - 40) more files (a build writes them)") }
        if report.lockOutdated { print("lock     lutbuild.lock is missing or out of date; run `lutbuild build`") }
        let rerun = BuildReport.explanation(report.rerun)
        for line in rerun.prefix(40) { print("rerun    \(line)") }
        if rerun.count > 40 { print("rerun    … and \(rerun.count - 40) more lines") }
        if !report.rerun.isEmpty {
            print(
                "rerun    gen/ matches lutbuild.lock, but the local cache (.lutbuild/) has no record of these"
                    + " \(report.rerun.count) steps: the next build runs them again (or fetches them from the remote cache)"
            )
        }
        if report.isClean { print("up to date") }
        if check && !report.isClean { throw ExitCode(1) }
    }
}
