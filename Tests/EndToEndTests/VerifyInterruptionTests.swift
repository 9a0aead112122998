import Foundation
import Testing
import TestSupport

/// Stopping `lutbuild verify` while Verilator works: Ctrl-C ends it promptly
/// and `kill -9` of lutbuild leaves no tool running (each tool runs in its own
/// process group, killed on cancel and by a supervisor when lutbuild dies).
@Suite(.serialized) struct VerifyInterruptionTests {
    /// Starts `lutbuild verify` on a project built without verification and
    /// returns it once Verilator's compile is under way, with the tool processes seen.
    func startVerify(_ project: TinyProject) throws -> (RunningProcess, [ProcessTree.Entry]) {
        #expect(try project.build().status == 0)
        guard let binary = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        let verify = try RunningProcess(binary, ["verify", "--simulator", "verilator"], in: project.url)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let tools = ProcessTree.descendants(of: verify.processIdentifier).filter { $0.command != "lutbuild" }
            if tools.contains(where: { ["make", "cc1plus", "g++", "c++", "verilator_bin"].contains($0.command) }) {
                return (verify, ProcessTree.descendants(of: verify.processIdentifier))
            }
            usleep(20_000)
        }
        verify.terminateIfRunning()
        throw CancellationError()
    }

    @Test func ctrlCDuringVerifyStopsPromptlyAndLeavesNoTool() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let (process, tools) = try startVerify(project)
        let groups = Set(tools.map(\.group)).subtracting([getpgrp()])
        #expect(!groups.isEmpty, "the tools run in their own process group")
        let interrupted = Date()
        process.interrupt()
        // The exit, not the end of its output: a tool that outlived lutbuild would hold the pipes open.
        let status = process.waitForExit(within: 60)
        let seconds = Date().timeIntervalSince(interrupted)
        // The figure is `bench/run reliability.cancel.verify_stop_s`; this bound only catches a tool left to finish.
        #expect(seconds < 5, "lutbuild took \(seconds) s to stop after Ctrl-C")
        #expect(status == 130)
        #expect(ProcessTree.alive(inGroups: groups).isEmpty, "\(ProcessTree.alive(inGroups: groups).map(\.command))")
    }

    @Test func killMinus9OfLutbuildLeavesNoTool() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let (process, tools) = try startVerify(project)
        let groups = Set(tools.map(\.group)).subtracting([getpgrp()])
        process.send(SIGKILL)
        _ = process.waitForExit(within: 60)
        let deadline = Date().addingTimeInterval(2)
        while !ProcessTree.alive(inGroups: groups).isEmpty && Date() < deadline { usleep(20_000) }
        #expect(!groups.isEmpty && ProcessTree.alive(inGroups: groups).isEmpty, "\(ProcessTree.alive(inGroups: groups).map(\.command))")
    }
}
