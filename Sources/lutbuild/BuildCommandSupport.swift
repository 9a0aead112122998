import ArgumentParser
import BuildGraph
import Diagnostics
import Foundation
import FrontEnd
import Pipeline
import RTL
import ProjectFile

extension Simulator: ExpressibleByArgument {}

/// `--no-verify`, `--no-estimate` and `--simulator`: what a build includes,
/// shared by `build` and `watch` (which hands them to each child build).
struct BuildFlags: ParsableArguments {
    @Flag(name: .customLong("no-verify"), help: "Skip the RTL simulation step (faster; no test accuracy).")
    var noVerify = false

    @Flag(name: .customLong("no-estimate"), help: "Skip the hardware estimate (LUTs, FFs and LUT levels of the mapped design).")
    var noEstimate = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "RTL simulator for the verify step: verilator or iverilog (default: iverilog for networks of up to"
                + " \(Simulator.iverilogPartitionLimit) partitions, else verilator).")
    )
    var simulator: Simulator?

    /// The build these flags select (status and explain check the same one).
    func request(retrainLayers: Set<Int> = []) -> BuildRequest {
        BuildRequest(retrainLayers: retrainLayers, verify: !noVerify, simulator: simulator, estimate: !noEstimate)
    }

    /// The same flags as `lutbuild build` arguments.
    var arguments: [String] {
        (noVerify ? ["--no-verify"] : []) + (noEstimate ? ["--no-estimate"] : []) + (simulator.map { ["--simulator", $0.rawValue] } ?? [])
    }
}

/// Opening a project and building it, for the commands that build.
enum EngineCommand {
    static func open(_ options: ProjectOption) throws -> Project {
        try Project.open(path: options.project)
    }

    /// Takes `.lutbuild/lock` (`BuildPipeline.lock`), saying on stderr why it waits.
    static func lock(_ project: Project, wait: Bool) throws -> ProjectBuildLock {
        try BuildPipeline.lock(project, wait: wait, onWait: printError)
    }

    /// Runs the build as `BuildPipeline.lockedBuild` does, rendering its events
    /// (status line, plain lines or JSON on stdout); Ctrl-C stops it at a safe point.
    static func build(
        _ project: Project, request: BuildRequest, json: Bool, wait: Bool, jobs: Int?,
        remoteCache: RemoteCacheChoice = RemoteCacheChoice()
    ) async throws -> BuildSummary {
        let interrupt = InterruptSignal()
        let renderer =
            json
            ? BuildEventRenderer(style: .json, write: { text in FileHandle.standardOutput.write(Data(text.utf8)) })
            : BuildEventRenderer.standardError(json: false)
        defer { renderer.finish() }
        return try await BuildPipeline(project: project, request: request).lockedBuild(
            wait: wait, onWait: printError, concurrency: jobs, remoteCache: remoteCache,
            isCancelled: { interrupt.isRaised }, events: renderer.render)
    }
}
