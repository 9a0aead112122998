import Foundation
import Synchronization
import TestSupport
import Testing
@testable import Subprocess

/// The one runner for external tools: exit codes and output, and a cancel
/// that stops the tool and everything it started, even what ignores SIGTERM.
@Suite struct ExternalToolTests {
    func directory() throws -> URL { try Sandbox("tool").url }

    /// Whether `pid` is a running (not zombie) process.
    static func running(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    @Test func exitCodeAndOutputAreReported() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try ExternalTool.run("/bin/sh", ["-c", "echo out; echo err >&2; pwd; exit 3"], in: dir, timeout: 30)
        #expect(result.status == 3)
        #expect(result.output == "out\nerr\n\(dir.resolvingSymlinksInPath().path)\n" || result.output == "out\nerr\n\(dir.path)\n")
    }

    @Test func aToolThatCannotStartIsAnError() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            try ExternalTool.run(dir.appendingPathComponent("missing").path, [], in: dir, timeout: 30)
        } throws: { error in
            "\(error)".contains("could not start") && "\(error)".contains("No such file or directory")
        }
    }

    @Test func cancelStopsTheToolAndItsChildrenEvenIfTheyIgnoreSIGTERM() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let started = Date()
        let script = "trap '' TERM; sleep 60 & echo $! > child.pid; echo $$ > tool.pid; wait"
        #expect(throws: CancellationError.self) {
            try ExternalTool.run(
                "/bin/sh", ["-c", script], in: dir, timeout: 60,
                isCancelled: {
                    Date().timeIntervalSince(started) > 0.5
                })
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 0.5 + ExternalTool.terminationGrace + 1, "\(seconds) s")
        for file in ["tool.pid", "child.pid"] {
            let pid = try #require(
                Int32(
                    String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(!Self.running(pid), "\(file) still runs")
        }
    }

    @Test func timeoutStopsTheToolWithAClearError() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            try ExternalTool.run("/bin/sleep", ["60"], in: dir, timeout: 0.3)
        } throws: { error in
            "\(error)".hasPrefix("sleep did not finish within")
        }
    }

    @Test func toolsDoNotInheritIgnoredSignals() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // lutbuild ignores SIGINT and SIGTERM (to stop at a safe point); its tools must not.
        let previous = signal(SIGTERM, SIG_IGN)
        defer { signal(SIGTERM, previous) }
        let result = try ExternalTool.run("/bin/sh", ["-c", "kill -TERM $$; sleep 5"], in: dir, timeout: 30)
        #expect(result.status == 128 + SIGTERM)
    }

    /// stdout and stderr apart, however much of each: files, not pipes read
    /// one after the other, so a tool filling stderr first cannot stall.
    @Test func captureKeepsTheStreamsApartWithoutStalling() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = "head -c 300000 /dev/zero | tr '\\0' e >&2; echo out; exit 4"
        let result = try ExternalTool.capture("/bin/sh", ["-c", script], in: dir, scratch: dir, timeout: 30)
        #expect(result.status == 4)
        #expect(result.standardOutput == Data("out\n".utf8))
        #expect(result.standardError.count == 300_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "capture leaves no files")
    }

    /// A signal sent to a started tool reaches it (a watch interrupts its child build so).
    @Test func aSignalReachesTheStartedTool() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = try SupervisedProcess(
            "/bin/sh", ["-c", "trap 'exit 7' INT; echo ready > ready; while :; do sleep 0.05; done"],
            in: dir, output: STDERR_FILENO, errors: STDERR_FILENO)
        let ready = dir.appendingPathComponent("ready")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready.path), Date() < deadline { usleep(10_000) }
        process.send(SIGINT)
        var status: Int32?
        while status == nil, Date() < deadline.addingTimeInterval(10) {
            status = process.exitStatus()
            usleep(10_000)
        }
        #expect(status == 7)
    }
}
