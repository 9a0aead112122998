import Foundation
import Testing

/// Stopping `lutbuild verify` while Verilator works: Ctrl-C ends it promptly
/// and `kill -9` of lutbuild leaves no tool running (each tool runs in its own
/// process group, killed on cancel and by a supervisor when lutbuild dies).
@Suite(.serialized) struct VerifyInterruptionTests {
    /// One process from /proc: its parent, process group and state.
    struct ProcessEntry {
        var pid: Int32
        var parent: Int32
        var group: Int32
        var state: Character
        var command: String
    }

    static func processes() -> [ProcessEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name in
            guard let pid = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, let parent = Int32(fields[1]), let group = Int32(fields[2]) else { return nil }
            return ProcessEntry(pid: pid, parent: parent, group: group, state: fields[0].first ?? "?",
                                command: String(stat[stat.index(after: open)..<close]))
        }
    }

    /// Live (not zombie) descendants of `root`.
    static func descendants(of root: Int32) -> [ProcessEntry] {
        let all = processes().filter { $0.state != "Z" }
        var found: [ProcessEntry] = []
        var frontier: Set<Int32> = [root]
        while !frontier.isEmpty {
            let children = all.filter { frontier.contains($0.parent) }
            found += children
            frontier = Set(children.map(\.pid))
        }
        return found
    }

    /// Live processes in any of `groups`.
    static func alive(inGroups groups: Set<Int32>) -> [ProcessEntry] {
        processes().filter { groups.contains($0.group) && $0.state != "Z" }
    }

    /// Starts `lutbuild verify` on a project built without verification and
    /// returns it once Verilator's compile is under way, with the tool processes seen.
    func startVerify(_ project: TinyProject) throws -> (Process, [ProcessEntry]) {
        #expect(try project.build().status == 0)
        let process = Process()
        process.executableURL = LutbuildBinary.url
        process.arguments = ["verify", "--simulator", "verilator"]
        process.currentDirectoryURL = project.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let tools = Self.descendants(of: process.processIdentifier).filter { $0.command != "lutbuild" }
            if tools.contains(where: { ["make", "cc1plus", "g++", "c++", "verilator_bin"].contains($0.command) }) {
                return (process, Self.descendants(of: process.processIdentifier))
            }
            usleep(20_000)
        }
        process.terminate()
        throw CancellationError()
    }

    @Test func ctrlCDuringVerifyStopsPromptlyAndLeavesNoTool() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let (process, tools) = try startVerify(project)
        let groups = Set(tools.map(\.group)).subtracting([getpgrp()])
        #expect(!groups.isEmpty, "the tools run in their own process group")
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(interrupted)
        // The figure is `bench/run reliability.cancel.verify_stop_s`; this bound only catches a tool left to finish.
        #expect(seconds < 5, "lutbuild took \(seconds) s to stop after Ctrl-C")
        #expect(process.terminationStatus == 130)
        #expect(Self.alive(inGroups: groups).isEmpty, "\(Self.alive(inGroups: groups).map(\.command))")
    }

    @Test func killMinus9OfLutbuildLeavesNoTool() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let (process, tools) = try startVerify(project)
        let groups = Set(tools.map(\.group)).subtracting([getpgrp()])
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let deadline = Date().addingTimeInterval(2)
        while !Self.alive(inGroups: groups).isEmpty && Date() < deadline { usleep(20_000) }
        #expect(!groups.isEmpty && Self.alive(inGroups: groups).isEmpty, "\(Self.alive(inGroups: groups).map(\.command))")
    }
}
