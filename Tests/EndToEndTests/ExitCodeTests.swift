import Foundation
import Testing

/// One exit-code rule for every command: 64 for a bad flag or environment
/// value, 2 for a bad project file (FILE:LINE), 1 for a failed step or tool.
/// Every case prints one `error: …` line first.
@Suite(.serialized) struct ExitCodeTests {
    static let usageMistakes: [(arguments: [String], environment: [String: String])] = [
        (["build", "--jobs", "0"], [:]),
        (["build", "--simulator", "foo"], [:]),
        (["build", "--retrain", "layer9"], [:]),
        (["build", "--remote-cache", "ftp://x"], [:]),
        (["build", "--audit=2"], [:]),
        (["build"], ["LUTBUILD_REMOTE_CACHE": "ftp://x"]),
        (["build"], ["LUTBUILD_REMOTE_CACHE_TIMEOUT": "x"]),
        (["build"], ["LUTBUILD_REMOTE_CACHE_MODE": "ro"]),
        (["status", "--simulator", "foo"], [:]),
        (["explain", "--retrain", "layer9"], [:]),
        (["verify", "--simulator", "foo"], [:]),
        (["estimate", "--no-such-flag"], [:]),
        (["sweep", "--set", "nokey=1"], [:]),
        (["sweep", "--set", "model.bits=99"], [:]),
        (["sweep", "--set", "model.bits=1,2", "--max-points", "1"], [:]),
        (["build", "--set", "nokey=1"], [:]),
        (["build", "--set", "train.epochs=1,2"], [:]),
        (["build", "--remote-cache", "file://nas/cache"], [:]),
        (["sweep", "--executor", "command", "--set", "train.epochs=2"], [:]),
        (["sweep", "--executor", "slurm", "--launcher", "bsub {cmd}", "--set", "train.epochs=2"], [:]),
        (["sweep", "--wait", "--set", "train.epochs=2"], [:]),
        (["sweep", "--max-running", "0", "--set", "train.epochs=2"], [:]),
        (["sweep", "--status"], [:]),
        (["watch", "--debounce-ms", "-1"], [:]),
        (["gc", "--keep-builds", "-1"], [:]),
        (["clean", "--no-such-flag"], [:]),
        (["hooks", "frobnicate"], [:]),
        (["report"], [:]),
        (["init", "--data"], [:]),
    ]

    @Test func aBadFlagOrEnvironmentValueExits64() throws {
        let project = try Scratch()
        defer { project.remove() }
        #expect(try LutbuildBinary.run(["init", "."], in: project.url).status == 0)
        for (arguments, environment) in Self.usageMistakes {
            let result = try LutbuildBinary.runProcess(
                try #require(LutbuildBinary.url), arguments, in: project.url,
                environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
            let label = (environment.map { "\($0)=\($1) " }.joined()) + arguments.joined(separator: " ")
            #expect(result.status == 64, "\(label): exit \(result.status): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: "), "\(label): \(result.stderr)")
        }
        #expect(!project.exists("gen"), "a usage mistake built something")
    }

    @Test func aBadProjectFileExits2WithItsLine() throws {
        let project = try Scratch()
        defer { project.remove() }
        #expect(try LutbuildBinary.run(["init", "."], in: project.url).status == 0)
        let text = try project.read("lutbuild.toml")
        try project.write("lutbuild.toml", text.replacingOccurrences(of: "[model]", with: "[model]\nbits = \"two\""))
        for command in ["build", "status", "explain", "verify", "estimate"] {
            let result = try LutbuildBinary.run([command], in: project.url)
            #expect(result.status == 2, "\(command): exit \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("lutbuild.toml:"), "\(command): \(result.stderr)")
        }
    }
}
