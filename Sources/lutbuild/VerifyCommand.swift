import ArgumentParser
import Diagnostics
import Foundation
import Pipeline
import RTL

/// `lutbuild verify`: bring the design up to date and simulate it against
/// software LUT inference; the answer a hardware engineer wants before synthesis.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Simulate the generated RTL on the whole test set; fail unless it equals software LUT inference.",
        discussion: """
            Brings the verify step up to date (and what it needs), leaving every other output \
            and the lock entries of other steps as they are, then reports mismatches (must be 0), \
            samples, cycles and the RTL test accuracy from gen/reports/verify.json. Without \
            --simulator, iverilog simulates networks of up to \(Simulator.iverilogPartitionLimit) partitions and \
            Verilator larger ones (the other one when only it is installed); the report names the one that ran.
            """
    )

    @OptionGroup var options: ProjectOption

    @Option(
        name: .long,
        help: ArgumentHelp(
            "verilator or iverilog (default: iverilog for networks of up to \(Simulator.iverilogPartitionLimit) partitions, else"
                + " verilator).")
    )
    var simulator: Simulator?

    @Flag(name: .long, help: "Print the verification report as JSON on stdout.")
    var json = false

    @Flag(name: .customLong("no-wait"), help: "Fail instead of waiting when another build of this project runs.")
    var noWait = false

    func run() async throws {
        let project = try EngineCommand.open(options)
        _ = try await EngineCommand.build(
            project, request: BuildRequest(design: false, verify: true, simulator: simulator, estimate: false),
            json: false, wait: !noWait, jobs: nil)
        guard let verification = BuildResults.read(projectDirectory: project.directory).verification else {
            throw UserError("no verification report in \(OutputLayout.Report.verify)")
        }
        if json {
            print(try verification.jsonLine())
        } else {
            let accuracy = verification.accuracy.map { String(format: ", RTL test accuracy %.2f%%", $0 * 100) } ?? ""
            print("verify: \(verification.mismatches) mismatches in \(verification.samples) samples (\(verification.simulator))\(accuracy)")
        }
        if verification.mismatches != 0 { throw ExitCode(1) }
    }
}
