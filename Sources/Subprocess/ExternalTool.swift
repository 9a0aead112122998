import CSupervisedSpawn
import Diagnostics
import Foundation

/// The one runner for external programs (verilator, iverilog, yosys, ABC,
/// git, a child `lutbuild build`): a time limit, output captured in files so
/// large logs cannot block the tool (no pipe to read in the wrong order), and
/// no tool outliving its cancel or lutbuild itself.
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

    /// A run with stdout and stderr kept apart.
    package struct Captured: Sendable {
        package var status: Int32
        package var standardOutput: Data
        package var standardError: Data
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
    package static func run(
        _ executable: String, _ arguments: [String], in directory: URL, timeout: Double,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> Result {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let log = directory.appendingPathComponent(".\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let start = Date()
        let group = try SupervisedProcess(
            executable, arguments, in: directory, output: handle.fileDescriptor,
            errors: handle.fileDescriptor)
        let status = try wait(for: group, name: name, log: log.path, timeout: timeout, isCancelled: isCancelled)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Result(status: status, output: output, seconds: Date().timeIntervalSince(start))
    }

    /// Runs `executable arguments…` in `directory` with stdout and stderr
    /// each in a file of `scratch`, read once the tool has ended.
    package static func capture(
        _ executable: String, _ arguments: [String], in directory: URL, scratch: URL,
        environment: [String: String]? = nil, timeout: Double,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> Captured {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let files = ["out", "err"].map { scratch.appendingPathComponent(".\(name).\(UUID().uuidString).\($0)") }
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        let handles = try files.map { file -> FileHandle in
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            return try FileHandle(forWritingTo: file)
        }
        defer { for handle in handles { try? handle.close() } }
        let group = try SupervisedProcess(
            executable, arguments, in: directory, output: handles[0].fileDescriptor,
            errors: handles[1].fileDescriptor, environment: environment)
        let status = try wait(for: group, name: name, log: files[1].path, timeout: timeout, isCancelled: isCancelled)
        return Captured(
            status: status, standardOutput: (try? Data(contentsOf: files[0])) ?? Data(),
            standardError: (try? Data(contentsOf: files[1])) ?? Data())
    }

    /// Polls `group` until it ends; stops it and throws on cancel or timeout.
    private static func wait(
        for group: SupervisedProcess, name: String, log: String, timeout: Double,
        isCancelled: @Sendable () -> Bool
    ) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = group.exitStatus() { return status }
            let cancelled = isCancelled()
            if cancelled || Date() >= deadline {
                group.stop(grace: terminationGrace)
                if cancelled { throw CancellationError() }
                throw ExternalToolError("\(name) did not finish within \(Int(timeout)) s (log: \(log))")
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
package struct SupervisedProcess: Sendable {
    package let group: pid_t
    /// Our end of the supervisor's parent-death pipe; closing it kills the group.
    private let deathPipe: Int32

    /// Starts the tool with stdout to `output` and stderr to `errors` (the same descriptor merges them).
    /// `environment` replaces ours when given.
    package init(
        _ executable: String, _ arguments: [String], in directory: URL, output: Int32, errors: Int32,
        environment: [String: String]? = nil
    ) throws {
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.sorted { $0.key < $1.key }.map { strdup("\($0)=\($1)") } + [nil] }
        defer { for pointer in envp ?? [] { free(pointer) } }
        var group: pid_t = 0, deathPipe: Int32 = -1
        let failure: Int32
        if envp != nil {
            failure = lutbuild_spawn_supervised(executable, &argv, &envp!, directory.path, output, errors, &group, &deathPipe)
        } else {
            failure = lutbuild_spawn_supervised(executable, &argv, nil, directory.path, output, errors, &group, &deathPipe)
        }
        guard failure == 0 else {
            throw ExternalToolError("could not start \(executable): \(String(cString: strerror(failure)))")
        }
        self.group = group
        self.deathPipe = deathPipe
    }

    /// The tool's exit status once it has ended (128 + signal number if it
    /// was killed), or nil while it runs. Kills what is left of its group and reaps it.
    package func exitStatus() -> Int32? {
        finish(lutbuild_supervised_wait(group, 0))
    }

    /// SIGTERM to the whole group, SIGKILL after `grace` seconds; returns once it is reaped.
    package func stop(grace: Double) {
        kill(-group, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            if exitStatus() != nil { return }
            usleep(UInt32(ExternalTool.pollInterval * 1e6))
        }
        kill(-group, SIGKILL)
        _ = finish(lutbuild_supervised_wait(group, 1))
    }

    /// Sends `signal` to the tool's whole group (the supervisor ignores SIGINT and SIGTERM).
    package func send(_ signal: Int32) {
        kill(-group, signal)
    }

    private func finish(_ code: Int32) -> Int32? {
        guard code >= 0 else { return nil }
        close(deathPipe)
        return code
    }
}

/// An external tool that could not be started or did not finish in time.
package struct ExternalToolError: Error, CustomStringConvertible, Equatable {
    package var description: String
    package init(_ description: String) { self.description = description }
}

extension ExternalToolError: UserFacingError {
    package var userErrors: [UserError] { [UserError(description)] }
}
