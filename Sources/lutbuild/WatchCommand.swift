import ArgumentParser
import BuildGraph
import Diagnostics
import Foundation
import FrontEnd
import Pipeline
import RTL
import ProjectFile

/// `lutbuild watch`: rebuild on every save of the project file or its data.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Rebuild whenever lutbuild.toml or a declared input changes.",
        discussion: """
            Builds once, then watches the project folder (inotify, or --poll) and \
            rebuilds after each save that changes an input's content. A change \
            during a build stops it (training keeps its checkpoint) and builds \
            again. Each build ends with one line: what ran, the time, and the test \
            accuracy with its change. Errors are printed and watching continues. \
            Ctrl-C stops.
            """
    )

    @OptionGroup var options: ProjectOption

    @Option(name: .customLong("debounce-ms"), help: "Quiet time after the last change before rebuilding.")
    var debounceMilliseconds: Int = WatchOptions.defaultDebounceMilliseconds

    @Flag(name: .long, help: "Poll file stamps instead of inotify (network or container file systems).")
    var poll = false

    @Option(name: .customLong("poll-interval-ms"), help: "Time between two polls with --poll.")
    var pollIntervalMilliseconds: Int = PollWatcher.defaultIntervalMilliseconds

    @Option(
        name: .long, help: "Another folder (relative to the project) to ignore; repeatable. gen, .lutbuild and .git are always ignored.")
    var exclude: [String] = []

    @OptionGroup var flags: BuildFlags

    @OptionGroup var remoteCache: RemoteCacheOptions

    func validate() throws {
        guard debounceMilliseconds >= 0 else { throw ValidationError("--debounce-ms must be 0 or more") }
        guard pollIntervalMilliseconds > 0 else { throw ValidationError("--poll-interval-ms must be more than 0") }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: options.project).resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(ProjectConfig.fileName).path) else {
            throw UserError.input("no lutbuild.toml in \(root.path); pass --project DIR")
        }
        let scope = WatchScope(root: root.path, excluded: OutputLayout.unwatched + exclude)
        let watcher: any ChangeWatcher =
            poll
            ? PollWatcher(scope: scope, intervalMilliseconds: pollIntervalMilliseconds)
            : FileWatcher(scope: scope)
        let build = ChildBuild(
            executable: Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe"),
            project: root, arguments: flags.arguments + remoteCache.arguments)
        let summary = RebuildSummary(measuresAccuracy: !flags.noVerify, measuresLUTs: !flags.noEstimate)
        let inputs = WatchInputs(project: root)
        let loop = WatchLoop(
            watcher: watcher,
            options: WatchOptions(debounceMilliseconds: debounceMilliseconds),
            inputs: { inputs.paths() },
            build: { request in
                let outcome = try await build.run(request)
                return summary.line(outcome)
            },
            report: { say(WatchReportLine.text(for: $0, root: root.path)) }
        )
        let stop = InterruptSignal()
        say("watching \(root.path) (\(poll ? "polling every \(pollIntervalMilliseconds) ms" : "inotify"), Ctrl-C stops)")
        try loop.start()
        await stop.wait()
        await loop.stop()
        throw ExitCode(130)
    }
}

/// Prints a line at once, so it interleaves correctly with the build's own output.
private func say(_ line: String) {
    print(line)
    fflush(nil)
}
