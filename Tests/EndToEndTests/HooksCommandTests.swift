import Foundation
import Testing

/// The installed git hooks with the real binary, in a real repository:
/// a fresh build may be committed, a hand-edited generated file may not,
/// and checking out a stale commit says what to rebuild.
@Suite struct HooksCommandTests {
    @Test func preCommitRefusesHandEditsAndCheckoutWarnsOfStaleOutputs() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let binary = try #require(LutbuildBinary.url, "build lutbuild first")
        let git = Git(directory: project.url, lutbuild: binary)
        try git.run(["init", "-q"])
        try git.run(["config", "user.email", "test@example.org"])
        try git.run(["config", "user.name", "lutbuild test"])
        try git.run(["config", "core.hooksPath", "custom-hooks"])

        let install = try LutbuildBinary.run(["hooks", "install"], in: project.url)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("custom-hooks/pre-commit"), "\(install.stdout)")
        #expect(project.scratch.exists("custom-hooks/pre-commit"))

        let build = try LutbuildBinary.run(["build", "--simulator", "iverilog"], in: project.url)
        #expect(build.status == 0, "\(build.stderr)")
        try git.run(["add", "-A"])
        let first = try git.run(["commit", "-q", "-m", "fresh build"], check: false)
        #expect(first.status == 0, "a fresh build must be accepted: \(first.stderr)")

        let rtl = try #require(
            try FileManager.default.contentsOfDirectory(atPath: project.scratch.path("gen/rtl").path)
                .filter { $0.hasSuffix(".v") }.sorted().first)
        let edited = "gen/rtl/\(rtl)"
        try project.scratch.write(edited, try project.scratch.read(edited) + "// tweaked by hand\n")
        try git.run(["add", edited])
        let refused = try git.run(["commit", "-q", "-m", "hand edit"], check: false)
        #expect(refused.status != 0, "a hand-edited generated file must be refused")
        #expect(refused.stderr.contains("commit refused"), "\(refused.stderr)")
        #expect(refused.stderr.contains("lutbuild build"), "\(refused.stderr)")
        #expect(refused.stderr.contains(edited), "the report names the edited file: \(refused.stderr)")

        let rebuild = try LutbuildBinary.run(["build", "--simulator", "iverilog"], in: project.url)
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        try git.run(["add", "-A"])
        let accepted = try git.run(["commit", "-q", "--allow-empty", "-m", "rebuilt"], check: false)
        #expect(accepted.status == 0, "after a rebuild the commit is accepted: \(accepted.stderr)")
        #expect(try git.run(["status", "--porcelain"]).stdout == "", "the rebuild restored the committed file")

        // A stale state committed past the hook: switching to it warns, switching away is quiet.
        try project.edit("\nepochs = 1", "\nepochs = 2")
        try git.run(["commit", "-q", "-a", "--no-verify", "-m", "stale on purpose"])
        let toFresh = try git.run(["checkout", "-q", "HEAD~1"])
        #expect(!toFresh.stderr.contains("stale"), "\(toFresh.stderr)")
        let toStale = try git.run(["checkout", "-q", "-"])
        #expect(toStale.stderr.contains("generated files are stale; rebuild with:"), "\(toStale.stderr)")
        #expect(toStale.stderr.contains("lutbuild build"), "\(toStale.stderr)")
    }
}

/// `git` in one repository, with `LUTBUILD` pointing the hooks at the binary under test.
private struct Git {
    let directory: URL
    let lutbuild: URL

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    func run(_ arguments: [String], check: Bool = true) throws -> LutbuildBinary.Result {
        var environment = ProcessInfo.processInfo.environment
        environment["LUTBUILD"] = lutbuild.path
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] { environment[key] = nil }
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        let result = try LutbuildBinary.runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["git"] + arguments, in: directory, environment: environment)
        if check && result.status != 0 {
            throw Failed(description: "git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result
    }
}
