import ArgumentParser
import Foundation
import Pipeline

/// `lutbuild estimate`: a resource estimate without Vivado (yosys, UltraScale+ mapping).
struct EstimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate LUTs, MUXFs, FFs and logic depth of the generated RTL with yosys (synth_xilinx, UltraScale+).",
        discussion: """
            Builds what is stale first (like `lutbuild build`, without the simulation), then \
            prints gen/reports/estimate.txt; --json prints gen/reports/estimate.json.
            """
    )

    @OptionGroup var options: ProjectOption

    @Flag(name: .long, help: "Print the estimate as JSON on stdout.")
    var json = false

    @Flag(name: .customLong("no-wait"), help: "Fail instead of waiting when another build of this project runs.")
    var noWait = false

    func run() async throws {
        let project = try EngineCommand.open(options)
        _ = try await EngineCommand.build(
            project, request: BuildRequest(verify: false, estimate: true),
            json: false, wait: !noWait, jobs: nil)
        let report = project.directory.appendingPathComponent(json ? OutputLayout.Report.estimateJSON : OutputLayout.Report.estimateText)
        guard let contents = FileManager.default.contents(atPath: report.path) else {
            throw UserError("no estimate report in \(report.path)")
        }
        FileHandle.standardOutput.write(contents)
        if contents.last != UInt8(ascii: "\n") { print() }
    }
}
