import Foundation
import Testing
import TestSupport

/// `scripts/install.sh` for machines without Swift (README, "Install without Swift"):
/// the installed binary links no Swift runtime library, runs `--version`, `init` and a
/// build with the toolchain off `PATH` and `LD_LIBRARY_PATH` unset, and the completions
/// and git hooks are installed next to it.
@Suite struct InstalledBinaryTests {
    @Test func installedBinaryRunsWithoutTheToolchain() throws {
        let installation = try Installation.prepare()
        defer { installation.removeIfOwned() }
        let lutbuild = installation.binary
        try #require(FileManager.default.isExecutableFile(atPath: lutbuild.path), "install.sh wrote no \(lutbuild.path)")

        let links = try ProcessRunner.run(tool: "ldd", [lutbuild.path])
        #expect(links.status == 0, "\(links.stderr)")
        let toolchainLinks = Installation.toolchainLinks(in: links.stdout, toolchain: Installation.toolchain)
        #expect(toolchainLinks.isEmpty, "the installed binary needs the Swift toolchain's libraries: \(toolchainLinks)")

        let environment = Installation.environmentWithoutToolchain()
        let swift = try ProcessRunner.run(tool: "sh", ["-c", "command -v swift"], environment: environment)
        #expect(swift.status != 0, "swift is still on PATH: \(swift.stdout)")
        let run = { (arguments: [String], directory: URL) in
            try LutbuildBinary.runProcess(lutbuild, arguments, in: directory, environment: environment)
        }

        let version = try run(["--version"], FileManager.default.temporaryDirectory)
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stdout.hasPrefix("lutbuild "), "\(version.stdout)")

        let project = try TinyProject(initWith: run)
        defer { project.remove() }
        let build = try run(["build", "--simulator", "iverilog", "--no-estimate"], project.url)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("0 mismatches"), "\(build.stdout)")
        #expect(project.scratch.exists("lutbuild.lock"))

        for (shell, path) in Installation.completionScripts.sorted(by: { $0.key < $1.key }) {
            let generated = try run(["--generate-completion-script", shell], project.url)
            #expect(generated.status == 0, "\(generated.stderr)")
            let installed = try? String(contentsOf: installation.prefix.appendingPathComponent(path), encoding: .utf8)
            #expect(installed == generated.stdout, "the \(shell) completion script was not installed as \(path)")
        }
        let hooks = installation.source.appendingPathComponent("hooks")
        for name in try FileManager.default.contentsOfDirectory(atPath: hooks.path).sorted() {
            let installed = installation.hooks.appendingPathComponent(name)
            #expect(FileManager.default.isExecutableFile(atPath: installed.path), "hook \(name) was not installed")
            let expected = try Data(contentsOf: hooks.appendingPathComponent(name))
            #expect((try? Data(contentsOf: installed)) == expected, "hook \(name) differs from hooks/\(name)")
        }
    }

    @Test func toolchainLinksAreFound() {
        let toolchain = URL(fileURLWithPath: "/opt/swift/usr")
        let dynamic = """
            \tlinux-vdso.so.1 (0x00007ffc)
            \tlibswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x00007f00)
            \tlibdispatch.so => /opt/swift/usr/lib/swift/linux/libdispatch.so (0x00007f01)
            \tlibxml2.so.2 => /lib/x86_64-linux-gnu/libxml2.so.2 (0x00007f02)
            \tlibFoundation.so => not found
            """
        #expect(
            Installation.toolchainLinks(in: dynamic, toolchain: toolchain) == [
                "libswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x00007f00)",
                "libdispatch.so => /opt/swift/usr/lib/swift/linux/libdispatch.so (0x00007f01)",
                "libFoundation.so => not found",
            ])
        let linkedIn = "\tlinux-vdso.so.1 (0x00007ffc)\n\tlibxml2.so.2 => /lib/x86_64-linux-gnu/libxml2.so.2 (0x00007f02)\n"
        #expect(Installation.toolchainLinks(in: linkedIn, toolchain: toolchain).isEmpty)
    }
}

/// A prefix `scripts/install.sh` installed into: the one scripts/test.sh made
/// (`LUTBUILD_INSTALLED_PREFIX`, so CI builds the static binary once), else a fresh
/// one this test installs into itself (the release build in `.build/install` is
/// incremental after the first time; the first takes minutes).
private struct Installation {
    static let prefixVariable = "LUTBUILD_INSTALLED_PREFIX"

    /// The package checkout the tests were built from.
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let prefix: URL
    /// Whether this test made the prefix (and removes it).
    let owned: Bool

    var binary: URL { prefix.appendingPathComponent("bin/lutbuild") }
    var hooks: URL { prefix.appendingPathComponent("share/lutbuild/hooks") }

    /// Where install.sh puts each shell's completion script, under the prefix.
    static let completionScripts = [
        "bash": "share/bash-completion/completions/lutbuild",
        "zsh": "share/zsh/site-functions/_lutbuild",
        "fish": "share/fish/vendor_completions.d/lutbuild.fish",
    ]

    struct InstallFailed: Error, CustomStringConvertible {
        var description: String
    }

    static func prepare() throws -> Installation {
        if let given = ProcessInfo.processInfo.environment[prefixVariable], !given.isEmpty {
            return Installation(prefix: URL(fileURLWithPath: given), owned: false)
        }
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-install-\(UUID().uuidString)")
        let installation = Installation(prefix: prefix, owned: true)
        let result = try ProcessRunner.run(tool: "nice", ["-n", "10", "scripts/install.sh", prefix.path], in: installation.source)
        guard result.status == 0 else {
            installation.removeIfOwned()
            throw InstallFailed(description: "scripts/install.sh \(prefix.path) failed (\(result.status)): \(result.stderr)")
        }
        return installation
    }

    func removeIfOwned() {
        if owned { try? FileManager.default.removeItem(at: prefix) }
    }

    /// Our `PATH`, folder by folder.
    static var pathFolders: [String] {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    }

    static func holdsSwift(_ folder: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: URL(fileURLWithPath: folder).appendingPathComponent("swift").path)
    }

    /// The Swift toolchain the tests run with: the folder above the `bin` holding `swift` (through symlinks).
    static let toolchain: URL? = pathFolders.first(where: holdsSwift).map {
        URL(fileURLWithPath: $0).appendingPathComponent("swift").resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Ours without the folders holding `swift` on `PATH` and without `LD_LIBRARY_PATH`.
    static func environmentWithoutToolchain() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = pathFolders.filter { !holdsSwift($0) }.joined(separator: ":")
        environment["LD_LIBRARY_PATH"] = nil
        return environment
    }

    /// The lines of `ldd` output that tie a binary to a Swift toolchain: a Swift
    /// runtime library (`libswift…`), anything resolved inside `toolchain`, or a
    /// library not found at all.
    static func toolchainLinks(in ldd: String, toolchain: URL?) -> [String] {
        ldd.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            line.hasPrefix("libswift") || line.contains("not found")
                || toolchain.map { line.contains("=> \($0.path)/") } == true
        }
    }
}
