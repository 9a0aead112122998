import Foundation
import FrontEnd
import Testing

/// The shipped hooks run by real git in a temporary repository.
@Suite struct HooksTests {
    @Test func embeddedScriptEqualsTheShippedFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let hooks = root.appendingPathComponent("hooks")
        let shipped = try String(contentsOf: hooks.appendingPathComponent("lutbuild-hook"), encoding: .utf8)
        #expect(shipped == HookScript.text)
        #expect(shipped.contains(HookScript.marker))
        for name in HookScript.hookNames {
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: hooks.appendingPathComponent(name).path)
            #expect(target == "lutbuild-hook")
        }
    }

    @Test func staleOutputsRefuseTheCommitFreshOnesAreAccepted() throws {
        let sandbox = try HookSandbox()
        _ = try HookInstaller(project: sandbox.project).install()
        try sandbox.markStale(true)
        let refused = try sandbox.commit("stale")
        #expect(refused.status != 0)
        #expect(refused.errors.contains("stale: gen/rtl/demo.v (hand-edited)"))
        #expect(refused.errors.contains("commit refused"))
        #expect(refused.errors.contains("lutbuild build"))
        try sandbox.markStale(false)
        let accepted = try sandbox.commit("fresh")
        #expect(accepted.status == 0, "\(accepted.errors)")
    }

    @Test func missingLutbuildIsNamedAndRefusesTheCommit() throws {
        let sandbox = try HookSandbox()
        _ = try HookInstaller(project: sandbox.project).install()
        let refused = try sandbox.commit("no tool", lutbuildOnPath: false)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("cannot find 'lutbuild'"))
        #expect(refused.errors.contains("LUTBUILD="))
    }

    @Test func lutbuildFromEnvironmentVariable() throws {
        let sandbox = try HookSandbox()
        _ = try HookInstaller(project: sandbox.project).install()
        try sandbox.markStale(true)
        let tool = sandbox.fakeBin.appendingPathComponent("lutbuild").path
        let refused = try sandbox.commit("env", lutbuildOnPath: false, extraEnvironment: ["LUTBUILD": tool])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("commit refused"))
    }

    @Test func lutbuildWithoutStatusCheckIsNamed() throws {
        let sandbox = try HookSandbox()
        _ = try HookInstaller(project: sandbox.project).install()
        let old = sandbox.fakeBin.appendingPathComponent("old-lutbuild")
        try sandbox.write("#!/bin/sh\necho \"Error: Unknown option '--check'\" >&2\nexit 64\n", to: old, executable: true)
        #expect(try sandbox.commit("with a current lutbuild").status == 0)
        try sandbox.write("x", to: sandbox.repository.appendingPathComponent("notes.txt"))
        let refused = try sandbox.commit("old tool", extraEnvironment: ["LUTBUILD": old.path])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("does not understand 'status --check'"))
        let checkout = try sandbox.run(["git", "checkout", "-q", "-b", "topic"], extraEnvironment: ["LUTBUILD": old.path])
        #expect(checkout.status == 0)
        #expect(checkout.errors.contains("does not understand 'status --check'"))
    }

    @Test func checkoutAndMergeReportStaleButNeverFail() throws {
        let sandbox = try HookSandbox()
        _ = try HookInstaller(project: sandbox.project).install()
        #expect(try sandbox.commit("first").status == 0)
        try sandbox.markStale(true)
        let checkout = try sandbox.run(["git", "checkout", "-q", "-b", "topic"])
        #expect(checkout.status == 0)
        #expect(checkout.errors.contains("lutbuild post-checkout: generated files are stale"))
        try sandbox.git("checkout", "-q", "main")
        let merge = try sandbox.run(["git", "merge", "-q", "--no-edit", "--no-ff", "topic"])
        #expect(merge.status == 0)
        // --no-ff of an already-merged branch is a no-op merge: git runs post-merge only
        // for a real merge, so make one.
        try sandbox.markStale(false)
        try sandbox.git("checkout", "-q", "topic")
        try sandbox.write("x", to: sandbox.repository.appendingPathComponent("notes.txt"))
        #expect(try sandbox.commit("topic work").status == 0)
        try sandbox.git("checkout", "-q", "main")
        try sandbox.markStale(true)
        let realMerge = try sandbox.run(["git", "merge", "-q", "--no-edit", "--no-ff", "topic"])
        #expect(realMerge.status == 0)
        #expect(realMerge.errors.contains("lutbuild post-merge: generated files are stale"))
    }

    @Test func projectInASubfolder() throws {
        let sandbox = try HookSandbox(projectFolder: "fpga/nn")
        _ = try HookInstaller(project: sandbox.project).install()
        #expect(try sandbox.git("config", "lutbuild.project").output == "fpga/nn\n")
        try sandbox.markStale(true)
        let refused = try sandbox.commit("stale")
        #expect(refused.status != 0)
        #expect(refused.errors.contains("/fpga/nn"))
    }
}

/// Where and how `HookInstaller` writes, and what it refuses to overwrite.
@Suite struct HooksInstallTests {
    @Test func reinstallIsIdempotent() throws {
        let sandbox = try HookSandbox()
        let first = try HookInstaller(project: sandbox.project).install()
        #expect(first.map(\.action) == [.installed, .installed, .installed])
        #expect(first.map(\.hook) == HookScript.hookNames)
        let hook = sandbox.repository.appendingPathComponent(".git/hooks/pre-commit").path
        #expect(first[0].path == hook)
        #expect(FileManager.default.isExecutableFile(atPath: hook))
        let second = try HookInstaller(project: sandbox.project).install()
        #expect(second.map(\.action) == [.unchanged, .unchanged, .unchanged])
    }

    @Test func olderLutbuildHookIsUpdated() throws {
        let sandbox = try HookSandbox()
        let hooks = try HookInstaller(project: sandbox.project).hooksDirectory()
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        try sandbox.write("#!/bin/sh\n\(HookScript.marker) (old)\n", to: hooks.appendingPathComponent("post-merge"), executable: true)
        let outcome = try HookInstaller(project: sandbox.project).install()
        #expect(outcome.map(\.action) == [.installed, .installed, .updated])
    }

    @Test func userHookIsKeptWithoutForceAndBackedUpWithIt() throws {
        let sandbox = try HookSandbox()
        let hooks = try HookInstaller(project: sandbox.project).hooksDirectory()
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        let mine = hooks.appendingPathComponent("pre-commit")
        try sandbox.write("#!/bin/sh\necho mine\n", to: mine, executable: true)

        let kept = try HookInstaller(project: sandbox.project).install()
        #expect(kept.map(\.action) == [.keptUserHook, .installed, .installed])
        #expect(try String(contentsOf: mine, encoding: .utf8) == "#!/bin/sh\necho mine\n")

        let forced = try HookInstaller(project: sandbox.project, force: true).install()
        let backup = mine.appendingPathExtension("before-lutbuild").path
        #expect(forced.map(\.action) == [.replacedUserHook(backup: backup), .unchanged, .unchanged])
        #expect(try String(contentsOfFile: backup, encoding: .utf8) == "#!/bin/sh\necho mine\n")
        #expect(try String(contentsOf: mine, encoding: .utf8) == HookScript.text)
    }

    @Test func coreHooksPathIsRespected() throws {
        let sandbox = try HookSandbox()
        try sandbox.git("config", "core.hooksPath", "tools/githooks")
        let outcome = try HookInstaller(project: sandbox.project).install()
        let expected = sandbox.repository.appendingPathComponent("tools/githooks/pre-commit").path
        #expect(outcome[0].path == expected)
        try sandbox.markStale(true)
        #expect(try sandbox.commit("stale").status != 0)
    }

    @Test func notAGitRepositoryIsAClearError() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nogit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try HookInstaller(project: folder).install()
        } throws: { error in
            "\(error)".contains("not a git repository")
        }
    }
}
