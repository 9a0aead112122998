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
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative).path) }

    func write(_ relative: String, _ text: String) throws {
        let file = path(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ relative: String) throws -> String { try String(contentsOf: path(relative), encoding: .utf8) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
