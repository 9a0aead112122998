import Foundation

/// Runs one external program (verilator, iverilog, yosys) with a time limit,
/// capturing its output in files so large logs cannot block it.
struct ExternalTool {
    struct Result {
        var status: Int32
        var output: String
        var seconds: Double
    }

    /// Absolute path of `name` on `PATH`, or nil when it is not installed.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable arguments…` in `directory`; stdout and stderr are
    /// merged into `Result.output`. Throws when it cannot start or exceeds
    /// `timeout` seconds (the process is then terminated).
    static func run(_ executable: String, _ arguments: [String], in directory: URL, timeout: Double) throws -> Result {
        let log = directory.appendingPathComponent(".\(URL(fileURLWithPath: executable).lastPathComponent).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = handle
        process.standardError = handle
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        do { try process.run() } catch {
            throw RTLError("could not start \(executable): \(error.localizedDescription)")
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            done.wait()
            throw RTLError("\(URL(fileURLWithPath: executable).lastPathComponent) did not finish within \(Int(timeout)) s (log: \(log.path))")
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: output, seconds: Date().timeIntervalSince(start))
    }

    /// The last `lines` lines of `text`, for error messages.
    static func tail(_ text: String, lines: Int = 20) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
