import Foundation
import Testing

@testable import Synthesis

/// Working directories left by killed processes are removed by the next process that makes one.
@Suite struct ScratchDirectoryTests {
    /// The pid of a process that has ended and been reaped.
    private func endedProcess() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func directoriesOfEndedProcessesGoAndOthersStay() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        let prefix = "lutbuild-abc", ended = try endedProcess()
        let stale = "\(prefix)-\(ended)-\(UUID().uuidString)"
        let kept = [
            "\(prefix)-\(getpid())-\(UUID().uuidString)",  // this process: alive
            "\(prefix)-1-\(UUID().uuidString)",  // init: alive (and not ours)
            "\(prefix)-\(UUID().uuidString)",  // no pid in the name: not made by `make`
            "\(prefix)-\(ended)-notauuid",
            "other-\(ended)-\(UUID().uuidString)",
        ]
        for name in [stale] + kept {
            try FileManager.default.createDirectory(at: parent.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: parent.appendingPathComponent(name).appendingPathComponent("table.truth"))
        }
        #expect(ScratchDirectory.removeStale(prefix: prefix, in: parent) == [stale])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).sorted() == kept.sorted())
    }

    @Test func theFirstDirectoryOfAPrefixSweepsTheStaleOnes() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        let prefix = "scratch-\(UUID().uuidString.prefix(8))"
        let stale = parent.appendingPathComponent("\(prefix)-\(try endedProcess())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        let made = try ScratchDirectory.make(prefix: prefix, in: parent)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(made.lastPathComponent.hasPrefix("\(prefix)-\(getpid())-"))
        #expect(ScratchDirectory.owner(of: made.lastPathComponent, prefix: prefix) == getpid())
    }
}
