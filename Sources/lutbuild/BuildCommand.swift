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

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Build with a project-file key set to a value, the file unchanged (repeatable; checked as `lutbuild sweep --set`).",
            valueName: "KEY=VALUE"))
    var settings: [String] = []

    @Flag(name: .long, help: "Print one JSON event per line on stdout instead of the status line.")
    var json = false

    @Flag(name: .customLong("no-wait"), help: "Fail instead of waiting when another build of this project runs.")
    var noWait = false

    @OptionGroup var flags: BuildFlags

    @Option(name: .long, help: "Steps to run at once (default: the CPUs this process may use: affinity mask, cgroup quota).")
    var jobs: Int?

    @OptionGroup var remoteCache: RemoteCacheOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run again the given share (0 < FRACTION ≤ 1; a bare --audit: all) of the steps this build would reuse from the"
                + " local or remote cache, and fail naming any whose output differs from the stored one.",
            valueName: "FRACTION"))
    var audit: Double?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let audit, !(audit > 0 && audit <= 1) {
            throw ValidationError("--audit takes a share of the steps, above 0 and at most 1 (found \(audit))")
        }
    }

    /// `--audit` may stand alone (`--audit[=FRACTION]`): it means every step.
    static func expandingBareAudit(_ arguments: [String]) -> [String] {
        guard arguments.first == configuration.commandName else { return arguments }
        return arguments.map { $0 == "--audit" ? "--audit=1" : $0 }
    }

    func run() async throws {
        let project = try SweepPlan.variant(of: EngineCommand.open(options), setting: settings)
        let layers = try Set(retrain.map { try BuildRequest.parseLayer($0, layers: project.config.model.layers.count) })
        var request = flags.request(retrainLayers: layers)
        request.audit = audit.map(AuditSample.init(fraction:))
        let summary = try await EngineCommand.build(
            project, request: request, json: json, wait: !noWait, jobs: jobs, remoteCache: remoteCache.choice)
        let results = BuildResults.read(projectDirectory: project.directory)
        if json {
            print(try BuildSummaryEvent(summary, results: results).jsonLine())
        } else {
            print(BuildReport.summary(summary))
            if let audit {
                print(
                    "  audit: ran \(summary.audited.count) reused step(s) again (\(String(format: "%g", audit * 100))% sample): "
                        + (summary.auditFindings.isEmpty ? "every output equals the stored one" : "\(summary.auditFindings.count) differ"))
            }
            if !request.leftOut.isEmpty {
                print(
                    "  left as they were (not asked for): \(request.leftOut.joined(separator: ", ")); `lutbuild status` lists what is stale"
                )
            }
            for line in results.lines { print("  " + line) }
        }
        if let failure = BuildPipeline.auditFailure(summary) { throw failure }
    }
}
