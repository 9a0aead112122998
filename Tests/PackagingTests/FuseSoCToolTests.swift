import Foundation
import TestSupport
import Testing
@testable import Packaging

/// `fusesoc` from PATH, if any.
let fuseSoCExecutable: URL? = ProcessInfo.processInfo.environment["PATH"]?
    .split(separator: ":")
    .map { URL(fileURLWithPath: String($0)).appendingPathComponent("fusesoc") }
    .first { FileManager.default.isExecutableFile(atPath: $0.path) }

/// The core file run through the real FuseSoC, when it is installed
/// (`pip install fusesoc`); shown as skipped otherwise, except in CI (`CI`
/// set, as `scripts/test.sh` runs there), where a missing fusesoc fails.
@Suite(
    "FuseSoC accepts the core",
    .enabled(if: fuseSoCExecutable != nil || ProcessInfo.processInfo.environment["CI"] != nil, "fusesoc is not on PATH"))
struct FuseSoCToolTests {
    private func fusesoc(_ arguments: [String], in directory: URL) throws -> String {
        guard let executable = fuseSoCExecutable else { throw TestSupportError("fusesoc is not on PATH") }
        let result = try ProcessRunner.run(executable, arguments, in: directory)
        try #require(result.status == 0, "fusesoc \(arguments.joined(separator: " ")) failed:\n\(result.stdout)\(result.stderr)")
        return result.stdout + result.stderr
    }

    @Test func coreInfoAndSynthesisSetup() throws {
        let core = sampleCore()
        var rtl = sampleRTL(for: core)
        rtl["gen/rtl/digits_lut.v"] = Data(TopModulePortsTests.topModule.utf8)
        let root = try writeProject(try Packager.allFiles(for: core, rtlContents: rtl), rtl: rtl)
        defer { try? FileManager.default.removeItem(at: root) }

        let info = try fusesoc(["--cores-root", "gen", "core-info", core.vlnv], in: root)
        #expect(info.contains("Name:        \(core.vlnv)"))
        _ = try fusesoc(["--cores-root", "gen", "run", "--setup", "--target=synth", core.vlnv], in: root)
        let project = root.appendingPathComponent(
            "build/example.org_lutnn_digits_lut_1.0/synth-vivado/example.org_lutnn_digits_lut_1.0.tcl")
        let tcl = try String(contentsOf: project, encoding: .utf8)
        #expect(tcl.contains("set_property part xcvu9p-flgb2104-2-i"))
        #expect(tcl.contains("read_xdc {src/example.org_lutnn_digits_lut_1.0/vivado/clock.xdc}"))
        #expect(tcl.contains("set_property top digits_lut"))
    }
}
