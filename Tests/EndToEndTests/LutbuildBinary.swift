import Foundation
import TestSupport

/// Runs the built `lutbuild` executable, found next to the test bundle in the
/// build products directory (wherever --scratch-path put it).
enum LutbuildBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let url: URL? = {
        var folders: [URL] = [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles { folders.append(bundle.bundleURL.deletingLastPathComponent()) }
        return folders.lazy.map { $0.appendingPathComponent("lutbuild") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct NotFound: Error, CustomStringConvertible {
        var description: String { "the lutbuild executable was not found next to the test bundle; build it first" }
    }

    /// Runs `lutbuild arguments…` in `directory` and waits for it.
    static func run(_ arguments: [String], in directory: URL) throws -> Result {
        guard let url else { throw NotFound() }
        return try runProcess(url, arguments, in: directory)
    }

    /// Runs any executable and collects its exit status and output.
    static func runProcess(
        _ executable: URL, _ arguments: [String], in directory: URL,
        environment: [String: String]? = nil
    ) throws -> Result {
        let result = try ProcessRunner.run(executable, arguments, in: directory, environment: environment)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

/// A fresh directory for one test, removed afterwards.
typealias Scratch = Sandbox

extension Sandbox {
    /// An end-to-end test's folder.
    init() throws { try self.init("e2e") }
}
