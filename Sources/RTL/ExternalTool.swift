import CSupervisedSpawn
import Foundation

/// The one runner for external programs (verilator, iverilog, yosys, ABC):
/// a time limit, output captured in a file so large logs cannot block the
/// tool, and no tool outliving its cancel or lutbuild itself.
///
/// Each tool runs in its own process group under a small supervisor process
/// (see `supervised_spawn.h`): a cancel or timeout sends SIGTERM to the group,
/// then SIGKILL after `terminationGrace`; if lutbuild dies, even by `kill -9`,
/// the supervisor kills the group. Ctrl-C at the terminal reaches lutbuild
/// only (the tools are not in the terminal's foreground group), which then
/// cancels them.
package struct ExternalTool {
    package struct Result: Sendable {
        package var status: Int32
        package var output: String
        package var seconds: Double
    }

    /// How long a cancelled tool may take to exit on SIGTERM before SIGKILL.
    package static let terminationGrace = 1.0
    /// How often a running tool's exit and the cancel flag are checked.
    static let pollInterval = 0.02

    /// Absolute path of `name` on `searchPath` (default: `PATH`), or nil when it is not installed.
    package static func find(_ name: String, searchPath: String? = nil) -> String? {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable arguments…` in `directory`; stdout and stderr are
    /// merged into `Result.output` (and kept in `directory/.NAME.log`).
    /// Throws when it cannot start, `CancellationError` when `isCancelled`
    /// turns true (polled every 20 ms), and an error when it exceeds
    /// `timeout` seconds; in both cases the tool's whole group is stopped first.
    package static func run(_ executable: String, _ arguments: [String], in directory: URL, timeout: Double,
                            isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> Result {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let log = directory.appendingPathComponent(".\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let start = Date()
        let group = try SupervisedProcess(executable, arguments, in: directory, output: handle.fileDescriptor)
        let deadline = start.addingTimeInterval(timeout)
        while true {
            if let status = group.exitStatus() {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                return Result(status: status, output: output, seconds: Date().timeIntervalSince(start))
            }
            let cancelled = isCancelled()
            if cancelled || Date() >= deadline {
                group.stop(grace: terminationGrace)
                if cancelled { throw CancellationError() }
                throw RTLError("\(name) did not finish within \(Int(timeout)) s (log: \(log.path))")
            }
            usleep(UInt32(pollInterval * 1e6))
        }
    }

    /// The last `lines` lines of `text`, for error messages.
    package static func tail(_ text: String, lines: Int = 20) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// A tool started by `lutbuild_spawn_supervised`: its supervisor's pid, which
/// is also the id of the process group holding the tool and its children.
struct SupervisedProcess {
    let group: pid_t
    /// Our end of the supervisor's parent-death pipe; closing it kills the group.
    private let deathPipe: Int32

    init(_ executable: String, _ arguments: [String], in directory: URL, output: Int32) throws {
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var group: pid_t = 0, deathPipe: Int32 = -1
        let failure = lutbuild_spawn_supervised(executable, &argv, directory.path, output, &group, &deathPipe)
        guard failure == 0 else {
            throw RTLError("could not start \(executable): \(String(cString: strerror(failure)))")
        }
        self.group = group
        self.deathPipe = deathPipe
    }

    /// The tool's exit status once it has ended (128 + signal number if it
    /// was killed), or nil while it runs. Kills what is left of its group and reaps it.
    func exitStatus() -> Int32? {
        finish(lutbuild_supervised_wait(group, 0))
    }

    /// SIGTERM to the whole group, SIGKILL after `grace` seconds; returns once it is reaped.
    func stop(grace: Double) {
        kill(-group, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            if exitStatus() != nil { return }
            usleep(UInt32(ExternalTool.pollInterval * 1e6))
        }
        kill(-group, SIGKILL)
        _ = finish(lutbuild_supervised_wait(group, 1))
    }

    private func finish(_ code: Int32) -> Int32? {
        guard code >= 0 else { return nil }
        close(deathPipe)
        return code
    }
}
