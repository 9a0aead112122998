import ArgumentParser
import Diagnostics
import Foundation
import Pipeline

/// `lutbuild estimate`: the hardware of the mapped design, counted by lutbuild
/// (seconds); `--yosys` adds yosys' whole-design synthesis for calibration.
struct EstimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Print the LUTs, FFs and LUT levels of the mapped design (lutbuild's exact count).",
        discussion: """
            Brings the estimate up to date (and what it needs), leaving every other output as it is, then \
            prints gen/reports/estimate.txt; --json prints gen/reports/estimate.json. With --yosys, \
            also synthesises the whole design with yosys (synth_xilinx, UltraScale+; minutes on \
            large designs) and prints its figures too (gen/reports/estimate_yosys.txt / .json).
            """
    )

    @OptionGroup var options: ProjectOption

    @Flag(name: .long, help: "Print the estimate as JSON on stdout.")
    var json = false

    @Flag(name: .long, help: "Also run yosys on the whole design and print both figures.")
    var yosys = false

    @Flag(name: .customLong("no-wait"), help: "Fail instead of waiting when another build of this project runs.")
    var noWait = false

    func run() async throws {
        let project = try EngineCommand.open(options)
        _ = try await EngineCommand.build(
            project, request: BuildRequest(design: false, verify: false, estimate: true, yosysEstimate: yosys),
            json: false, wait: !noWait, jobs: nil)
        var reports = [json ? OutputLayout.Report.estimateJSON : OutputLayout.Report.estimateText]
        if yosys { reports.append(json ? OutputLayout.Report.yosysEstimateJSON : OutputLayout.Report.yosysEstimateText) }
        for name in reports {
            let report = project.directory.appendingPathComponent(name)
            guard let contents = FileManager.default.contents(atPath: report.path) else {
                throw UserError("no estimate report in \(report.path)")
            }
            FileHandle.standardOutput.write(contents)
            if contents.last != UInt8(ascii: "\n") { print() }
        }
    }
}
