import Foundation
import NginxCacheServer
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// `lutbuild sweep` on a tiny copy of the digits template (one or two
/// epochs), with the real yosys estimate.
@Suite struct SweepCommandTests {
    /// Two register settings of the project as it is: one network, two designs.
    static let grid = ["--set", "rtl.registers=\"every-layer\",none"]

    /// A sweep reads and writes the remote cache as a build does: a second
    /// checkout's sweep of the same grid trains and maps nothing, and its points
    /// equal the first's.
    @Test func sweepSharesTheRemoteCache() throws {
        let server = try NginxCacheServer()
        defer { server.stop() }
        let remote = ["--remote-cache", server.url]
        let first = try TinyProject()
        defer { first.remove() }
        let built = try LutbuildBinary.run(["sweep", "--json"] + Self.grid + remote, in: first.url)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(!server.entries("ac").isEmpty, "the sweep uploaded nothing")

        let second = try TinyProject()
        defer { second.remove() }
        let reused = try LutbuildBinary.run(["sweep", "--json"] + Self.grid + remote, in: second.url)
        #expect(reused.status == 0, "\(reused.stderr)")
        #expect(!reused.stderr.contains("/train ("), "nothing trains: \(reused.stderr)")
        let points = { (text: String) in
            text.split(separator: "\n").compactMap { line -> String? in
                guard var point = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                point["build_seconds"] = nil
                point["buildSeconds"] = nil
                return String(decoding: try! JSONSerialization.data(withJSONObject: point, options: .sortedKeys), as: UTF8.self)
            }.sorted()
        }
        #expect(points(reused.stdout) == points(built.stdout))
    }

    @Test func sweepBuildsTheGridSharesTheCacheAndResumes() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let lockBefore = project.scratch.exists("lutbuild.lock")

        let first = try LutbuildBinary.run(["sweep", "--json"] + Self.grid, in: project.url)
        #expect(first.status == 0, "\(first.stderr)")
        let points = first.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(points.count == 2, "\(first.stdout)")
        for point in points {
            #expect((point["settings"] as? [String: Any])?.keys.sorted() == ["rtl.registers"], "\(point)")
            #expect((point["accuracy"] as? Double ?? 0) > 0.1, "\(point)")
            #expect((point["luts"] as? Int ?? 0) > 0, "\(point)")
        }
        #expect(Set(points.compactMap { $0["latency_cycles"] as? Int }) == [0, 3], "\(points)")
        // The points differ only in [rtl]: the network is trained once.
        let trained = first.stderr.split(separator: "\n").filter { $0.contains("/train (") }
        #expect(trained.count == 1, "\(first.stderr)")

        let csv = try project.scratch.read("gen/sweep/results.csv").split(separator: "\n")
        #expect(csv.count == 3)
        #expect(
            csv.first?.hasPrefix("rtl.registers,accuracy,validation_accuracy,luts,encoder_luts,flip_flops,latency_cycles,") == true,
            "\(csv)")
        #expect(csv.dropFirst().first?.hasPrefix("every-layer,") == true, "\(csv)")
        let svg = try project.scratch.read("gen/sweep/accuracy_vs_luts.svg")
        #expect(try SVGCheck.isWellFormed(project.scratch.path("gen/sweep/accuracy_vs_luts.svg")))
        #expect(svg.contains("Pareto front"))
        #expect(svg.contains("1: rtl.registers=every-layer — "), "\(svg)")
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: project.scratch.path("gen/sweep/results.json"))) as? [String: Any]
        #expect((json?["points"] as? [Any])?.count == 2)

        // The sweep leaves the project's own build alone and fills its cache:
        // building the project (its first point) trains nothing.
        #expect(project.scratch.exists("lutbuild.lock") == lockBefore)
        let build = try project.build()
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.ran(prefix: "train/").isEmpty, "\(build.ran)")

        // Run again without the cache: every point is finished, none is built again.
        try FileManager.default.removeItem(at: project.scratch.path(".lutbuild/cache"))
        let again = try LutbuildBinary.run(["sweep"] + Self.grid, in: project.url)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.components(separatedBy: "(finished earlier)").count - 1 == 2, "\(again.stderr)")
        #expect(!project.scratch.exists(".lutbuild/cache/objects"), "the second sweep built something")
    }

    @Test func badKeysAndValuesAreReportedBeforeAnythingRuns() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let result = try LutbuildBinary.run(
            [
                "sweep", "--set", "model.fanin=3", "--set", "train.epochs=0,1", "--set", "model.layers[7].bits=2",
                "--set", "model.width",
            ],
            in: project.url)
        // A bad --set is a command-line mistake: exit 64, as any bad flag value.
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("error: --set model.width: expected KEY=VALUE[,VALUE…], e.g. --set model.fan_in=4,6"), "\(lines)")
        // The grid is checked only once every argument parses.
        #expect(!lines.contains { $0.contains("fanin") }, "\(lines)")

        let values = try LutbuildBinary.run(
            ["sweep", "--set", "model.fanin=3", "--set", "train.epochs=0,1", "--set", "model.layers[7].bits=2"], in: project.url)
        #expect(values.status == 64)
        let messages = values.stderr.split(separator: "\n").map(String.init)
        #expect(
            messages.contains { $0.hasPrefix("error: --set model.fanin=3: model.fanin: unknown key; did you mean 'fan_in'?") },
            "\(messages)")
        #expect(
            messages.contains("error: --set train.epochs=0,1: train.epochs: expected an integer in 1…1000000, found 0"), "\(messages)")
        #expect(
            messages.contains(
                "error: --set model.layers[7].bits=2: model.layers[7].bits: model.layers has 3 entries; expected an index 0…2"),
            "\(messages)")
        #expect(!project.scratch.exists("gen"))
        #expect(!project.scratch.exists(".lutbuild/cache"))
    }

    @Test func aValueThatBreaksAnotherRuleNamesThePointAndTheLine() throws {
        let project = try TinyProject()
        defer { project.remove() }
        // A 6-bit table ceiling is below every layer's 4 inputs × 2 bits: reported at the layers' lines.
        let result = try LutbuildBinary.run(["sweep", "--set", "model.max_table_bits=8,6"], in: project.url)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(
            lines.allSatisfy { $0.hasPrefix("error: lutbuild.toml:") && $0.hasSuffix("(at the sweep point model.max_table_bits=6)") },
            "\(lines)")
        // A rule about the swept key itself names the argument.
        let fanIn = try LutbuildBinary.run(["sweep", "--set", "model.fan_in=4,7"], in: project.url)
        #expect(fanIn.status == 64)
        #expect(
            fanIn.stderr.hasPrefix(
                "error: --set model.fan_in=4,7: model.fan_in: fan-in 7 is larger than the previous layer's 6 partitions"),
            "\(fanIn.stderr)")
        #expect(!project.scratch.exists("gen"))
    }

    /// `--set train.epochs=1,2,…,count`.
    static func epochs(_ count: Int) -> [String] { ["--set", "train.epochs=" + (1...count).map(String.init).joined(separator: ",")] }

    @Test func aGridAboveMaxPointsIsAUsageMistakeFoundAtOnce() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let started = Date()
        let result = try LutbuildBinary.run(["sweep"] + Self.epochs(1000) + ["--set", "model.fan_in=3,4"], in: project.url)
        #expect(Date().timeIntervalSince(started) < 10, "the grid size is known before any point is checked")
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("error: the sweep has 2000 points, more than --max-points 1000"), "\(result.stderr)")
        let limited = try LutbuildBinary.run(["sweep", "--max-points", "2"] + Self.epochs(3), in: project.url)
        #expect(limited.status == 64, "\(limited.stderr)")
        #expect(try LutbuildBinary.run(["sweep", "--max-points", "0"] + Self.epochs(1), in: project.url).status == 64)
        #expect(!project.scratch.exists("gen"))
    }

    /// Ctrl-C while a 1,000-point sweep is checking its points, and again once
    /// it has started building them, stops it within seconds (exit 130).
    @Test(arguments: ["sweep: checking points", "sweep: 1000 points"])
    func ctrlCOnALargeSweepStopsPromptly(whenPrinted line: String) throws {
        let project = try TinyProject()
        defer { project.remove() }
        guard let binary = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        let sweep = try RunningProcess(binary, ["sweep"] + Self.epochs(1000), in: project.url)
        defer { sweep.terminateIfRunning() }
        let deadline = Date().addingTimeInterval(300)
        while !sweep.errors.contains(line), sweep.isRunning, Date() < deadline { usleep(20_000) }
        try #require(sweep.errors.contains(line) && sweep.isRunning, "\(sweep.errors)")
        let interrupted = Date()
        sweep.interrupt()
        let status = sweep.waitForExit(within: 120)
        let seconds = Date().timeIntervalSince(interrupted)
        // 2 s on an idle machine; the bound leaves room for a loaded one.
        #expect(seconds < 4, "the sweep took \(seconds) s to stop after Ctrl-C")
        #expect(status == 130, "\(sweep.errors)")
    }
}

/// Whether a generated SVG is well-formed XML with an `svg` root (libxml2
/// through Foundation's XMLParser; its `parse()` can return true after a
/// recoverable error, so the error is checked too).
enum SVGCheck {
    static func isWellFormed(_ file: URL) throws -> Bool {
        final class Root: NSObject, XMLParserDelegate {
            var name: String?
            func parser(
                _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]
            ) {
                if name == nil { name = elementName }
            }
        }
        let parser = XMLParser(data: try Data(contentsOf: file))
        let root = Root()
        parser.delegate = root
        return parser.parse() && parser.parserError == nil && root.name == "svg"
    }
}
