import Foundation
import Testing
import TestSupport

/// `lutbuild build --set KEY=VALUE` (a variant without editing the file, as a
/// sweep worker builds it) and the CPU allocation a build sizes itself by.
@Suite struct BuildSetAndAllocationTests {
    /// The variant is the project with the value written in: editing the file
    /// afterwards to the same value rebuilds nothing.
    @Test func buildSetEqualsEditingTheFile() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let variant = try project.build(["--no-verify", "--no-estimate", "--set", "train.epochs=2", "--set", "rtl.registers=none"])
        #expect(variant.status == 0, "\(variant.stderr)")
        #expect(!variant.ran(prefix: "train/").isEmpty)
        #expect(try project.scratch.read("lutbuild.toml").contains("\nepochs = 1 "), "the file is left as it was")

        try project.edit("\nepochs = 1 ", "\nepochs = 2 ")
        try project.edit("registers = \"every-layer\"", "registers = \"none\"")
        let edited = try project.build()
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.ran.isEmpty, "\(edited.ran)")
    }

    /// The same parser and checks as `sweep --set`; one value per key. A bad
    /// value is a command-line mistake: exit 64, as for `sweep --set`.
    @Test func buildSetIsCheckedAsSweepSet() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let bad = try LutbuildBinary.run(["build", "--set", "model.fanin=3", "--set", "train.epochs=0"], in: project.url)
        #expect(bad.status == 64)
        let lines = bad.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("error: --set model.fanin=3: model.fanin: unknown key; did you mean 'fan_in'?") }, "\(lines)")
        #expect(lines.contains("error: --set train.epochs=0: train.epochs: expected an integer in 1…1000000, found 0"), "\(lines)")
        let several = try LutbuildBinary.run(["build", "--set", "train.epochs=1,2"], in: project.url)
        #expect(several.status == 64)
        #expect(
            several.stderr.contains("error: --set train.epochs=1,2: train.epochs: a build takes one value per key"), "\(several.stderr)")
        let malformed = try LutbuildBinary.run(["build", "--set", "train.epochs"], in: project.url)
        #expect(malformed.status == 64)
        #expect(malformed.stderr.contains("expected KEY=VALUE"), "\(malformed.stderr)")
        #expect(!project.scratch.exists("gen"))
    }

    /// Under `taskset -c 0` the build runs one step at a time (the affinity
    /// mask, not the machine's cores); `--jobs` still overrides.
    @Test func aBuildUnderTasksetRunsOneStepAtATime() throws {
        let taskset = try #require(ExternalCommand.find("taskset"), "taskset (util-linux) is missing")
        guard let lutbuild = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        func maxInFlight(_ jobs: [String]) throws -> (Int, BuildRun) {
            let project = try TinyProject()
            defer { project.remove() }
            let run = BuildRun(
                try LutbuildBinary.runProcess(
                    taskset, ["-c", "0", lutbuild.path, "build", "--json", "--no-verify", "--no-estimate"] + jobs, in: project.url))
            var running = 0, most = 0
            for event in run.events {
                switch event["event"] as? String {
                case "started":
                    running += 1
                    most = max(most, running)
                case "finished", "failed": running -= 1
                default: break
                }
            }
            return (most, run)
        }
        let (pinned, run) = try maxInFlight([])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(pinned == 1)
        let (overridden, forced) = try maxInFlight(["--jobs", "4"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(overridden > 1, "--jobs 4 overrides the allocation")
    }
}

/// A program on `PATH`, nil when missing.
enum ExternalCommand {
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
