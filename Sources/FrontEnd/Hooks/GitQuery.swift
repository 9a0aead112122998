import Foundation
import Subprocess

/// Runs one `git` command in a directory and returns its trimmed output.
struct GitQuery {
    let directory: URL
    var executable = "git"
    /// git answers these queries at once; a hung one (a lock, a network mount) must not hang the command.
    static let timeout = 60.0

    /// Output of `git args…`, or an error quoting git's own message.
    func run(_ arguments: [String]) throws -> String {
        guard let git = executable.contains("/") ? executable : ExternalTool.find(executable) else {
            throw HookInstallError("cannot run git: `\(executable)` is not on PATH")
        }
        let result: ExternalTool.Captured
        do {
            result = try ExternalTool.capture(
                git, arguments, in: directory, scratch: FileManager.default.temporaryDirectory,
                timeout: Self.timeout)
        } catch {
            throw HookInstallError("cannot run git: \(error)")
        }
        guard result.status == 0 else {
            let reason = String(decoding: result.standardError, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw HookInstallError("git \(arguments.joined(separator: " ")) failed in \(directory.path): \(reason)")
        }
        return String(decoding: result.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
