import ArgumentParser
import BuildGraph
import Foundation
import FrontEnd
import Pipeline
import RTL

/// `lutbuild build`: train, tabulate, emit, verify — only what changed.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the project incrementally: train, tabulate, emit Verilog, verify.",
        discussion: """
            Every step is cached by the content of its inputs, so a build redoes only \
            what a change affects; outputs go to gen/ and lutbuild.lock records what \
            was built from what. Ctrl-C stops at a safe point: finished steps are kept \
            and training resumes from its checkpoint next time.
            """
    )

    @OptionGroup var options: ProjectOption

    @Option(name: .long, help: "Retrain layerK's partitions even if cached (repeatable), the other layers stay frozen.")
    var retrain: [String] = []

    @Flag(name: .long, help: "Print one JSON event per line on stdout instead of the status line.")
    var json = false

    @Flag(name: .customLong("no-wait"), help: "Fail instead of waiting when another build of this project runs.")
    var noWait = false

    @OptionGroup var flags: BuildFlags

    @Option(name: .long, help: "Steps to run at once (default: the number of cores).")
    var jobs: Int?

    @OptionGroup var remoteCache: RemoteCacheOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let project = try EngineCommand.open(options)
        let layers = try Set(retrain.map { try BuildRequest.parseLayer($0, layers: project.config.model.layers.count) })
        let request = BuildRequest(retrainLayers: layers, verify: !flags.noVerify, simulator: flags.simulator, estimate: !flags.noEstimate)
        let summary = try await EngineCommand.build(
            project, request: request, json: json, wait: !noWait, jobs: jobs, remoteCache: remoteCache.choice)
        let results = BuildResults.read(projectDirectory: project.directory)
        if json {
            print(try BuildSummaryEvent(summary, results: results).jsonLine())
        } else {
            print(BuildReport.summary(summary))
            if !request.leftOut.isEmpty {
                print("  left as they were (not asked for): \(request.leftOut.joined(separator: ", ")); `lutbuild status` lists what is stale")
            }
            for line in results.lines { print("  " + line) }
        }
    }
}
