import ArgumentParser
import Foundation
import FrontEnd
import Pipeline
import ProjectFile

/// `lutbuild report --vivado DIR`: bring the results of a Vivado run made
/// elsewhere back into the project's reports.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Read Vivado's utilization and timing reports into gen/reports/vivado.json.",
        discussion: """
            DIR is where gen/vivado/build.tcl wrote its reports (gen/vivado/reports, \
            or a copy from the machine that ran Vivado). Prints LUTs, FFs, WNS and the \
            achieved Fmax against [fpga] clock_mhz, and writes gen/reports/vivado.json.
            """
    )

    @OptionGroup var options: ProjectOption

    @Option(name: .long, help: ArgumentHelp("Folder holding utilization.rpt and timing_summary.rpt.", valueName: "DIR"))
    var vivado: String

    @Flag(name: .long, help: "Print gen/reports/vivado.json instead of the summary.")
    var json = false

    func run() throws {
        let project = try Project.open(path: options.project)
        let imported: VivadoReportImport
        do {
            imported = try VivadoReportImport.read(directory: URL(fileURLWithPath: vivado), fpga: project.config.fpga)
            try imported.write(projectDirectory: project.directory)
        } catch let error as PipelineError {
            // The reports folder is the user's input.
            throw PipelineError.input(error.description)
        }
        if json {
            FileHandle.standardOutput.write(try imported.json())
        } else {
            imported.summaryLines.forEach { print($0) }
            print("wrote \(project.displayDirectory)\(VivadoReportImport.outputPath)")
        }
    }
}
