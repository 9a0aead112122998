import Foundation
import TestSupport

/// A throw-away git repository with lutbuild.toml and a fake `lutbuild` whose
/// `status --check` fails while a `.stale` file sits in the project folder.
final class HookSandbox {
    let base: URL
    let repository: URL
    let project: URL
    let fakeBin: URL

    /// - Parameter projectFolder: where lutbuild.toml lives inside the repository ("" = root).
    init(projectFolder: String = "") throws {
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        base = temporary.appendingPathComponent("hooks-\(UUID().uuidString)")
        repository = base.appendingPathComponent("repo")
        project = projectFolder.isEmpty ? repository : repository.appendingPathComponent(projectFolder)
        fakeBin = base.appendingPathComponent("bin")
        for directory in [project, fakeBin] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try write("[project]\nname = \"demo\"\n", to: project.appendingPathComponent("lutbuild.toml"))
        try write(
            """
            #!/bin/sh
            [ "$1 $2" = "status --check" ] || { echo "fake lutbuild: unexpected $*" >&2; exit 64; }
            if [ -f .stale ]; then echo "stale: gen/rtl/demo.v (hand-edited)"; exit 1; fi
            echo "up to date"
            """, to: fakeBin.appendingPathComponent("lutbuild"), executable: true)
        try git("init", "-q", "-b", "main")
        try write(".stale\n", to: repository.appendingPathComponent(".gitignore"))
    }

    deinit { try? FileManager.default.removeItem(at: base) }

    func write(_ text: String, to file: URL, executable: Bool = false) throws {
        try Data(text.utf8).write(to: file)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
    }

    func markStale(_ stale: Bool) throws {
        let flag = project.appendingPathComponent(".stale")
        if stale { try write("", to: flag) } else { try? FileManager.default.removeItem(at: flag) }
    }

    /// Stages everything and commits; returns git's exit status and stderr (where hooks print).
    func commit(_ message: String, lutbuildOnPath: Bool = true, extraEnvironment: [String: String] = [:]) throws -> Outcome {
        _ = try git("add", "-A")
        return try run(
            ["git", "commit", "-q", "-m", message],
            lutbuildOnPath: lutbuildOnPath, extraEnvironment: extraEnvironment)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> Outcome {
        let outcome = try run(["git"] + arguments)
        guard outcome.status == 0 else { throw HookTestError("git \(arguments) failed: \(outcome.errors)") }
        return outcome
    }

    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs a command in the repository with a clean, reproducible git environment.
    func run(_ arguments: [String], lutbuildOnPath: Bool = true, extraEnvironment: [String: String] = [:]) throws -> Outcome {
        var environment = [
            "PATH": (lutbuildOnPath ? fakeBin.path + ":" : "") + "/usr/local/bin:/usr/bin:/bin",
            "HOME": base.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
        ]
        environment.merge(extraEnvironment) { $1 }
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), arguments, in: repository, environment: environment)
        return Outcome(status: result.status, output: result.stdout, errors: result.stderr)
    }
}

struct HookTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
