import Foundation
import Testing

/// A tiny copy of the template project (few partitions, fan-in 4, one epoch),
/// so a full build takes seconds in debug.
struct TinyProject {
    let scratch: Scratch
    var url: URL { scratch.url }

    init(epochs: Int = 1) throws {
        scratch = try Scratch()
        let result = try LutbuildBinary.run(["init", "."], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        try edit { text in
            text.replacingOccurrences(of: "{ partitions = 64 }", with: "{ partitions = 8 }")
                .replacingOccurrences(of: "{ partitions = 32 }", with: "{ partitions = 6 }")
                .replacingOccurrences(of: "\nfan_in = 6", with: "\nfan_in = 4")
                .replacingOccurrences(of: "\nwidth = 16", with: "\nwidth = 4")
                .replacingOccurrences(of: "\nepochs = 100", with: "\nepochs = \(epochs)")
        }
    }

    func edit(_ change: (String) -> String) throws {
        let before = try scratch.read("lutbuild.toml")
        let after = change(before)
        #expect(after != before, "the edit must change the project file")
        try scratch.write("lutbuild.toml", after)
    }

    func remove() { scratch.remove() }

    /// `lutbuild build --json …`, with the units that ran; `environment` adds to ours.
    func build(_ arguments: [String] = ["--no-verify", "--no-estimate"], environment: [String: String] = [:]) throws -> BuildRun {
        if environment.isEmpty { return BuildRun(try LutbuildBinary.run(["build", "--json"] + arguments, in: url)) }
        guard let executable = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        return BuildRun(try LutbuildBinary.runProcess(
            executable, ["build", "--json"] + arguments, in: url,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new }))
    }
}

/// A finished `lutbuild build --json` run, decoded.
struct BuildRun {
    var status: Int32
    var stderr: String
    var events: [[String: Any]]

    init(_ result: LutbuildBinary.Result) {
        status = result.status
        stderr = result.stderr
        events = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Every unit that ran, sorted.
    var ran: [String] {
        events.filter { $0["event"] as? String == "finished" }.flatMap { $0["units"] as? [String] ?? [] }.sorted()
    }

    func ran(prefix: String) -> [String] { ran.filter { $0.hasPrefix(prefix) } }

    /// A number from the closing `summary` event.
    func summary(_ key: String) -> Int? {
        events.last { $0["event"] as? String == "summary" }?[key] as? Int
    }

    func messages(_ event: String) -> [String] {
        events.filter { $0["event"] as? String == event }.compactMap { $0["message"] as? String }
    }
}

/// `train/layer1/p0` … for a layer of `count` partitions.
func units(_ prefix: String, layer: Int, count: Int) -> [String] {
    (0..<count).map { "\(prefix)/layer\(layer)/p\($0)" }.sorted()
}
