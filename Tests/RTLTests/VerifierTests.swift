import Foundation
import NeuraLUT
@testable import RTL
import Testing

@Suite struct VerifierTests {
    static let samples = 300

    static func vectors(_ network: LUTNetwork = Fixtures.small) throws -> TestVectors {
        let codes = Fixtures.codes(for: network, count: samples)
        var rng = SeededRandom(seed: 5)
        let labels = (0..<samples).map { _ in rng.nextInt(below: 3) }
        return try TestVectors(network: network, codes: codes, count: samples, labels: labels)
    }

    @Test(arguments: [Simulator.verilator, .iverilog])
    func generatedRTLMatchesSoftware(simulator: Simulator) throws {
        let vectors = try Self.vectors()
        for options in [RTLOptions(topName: "v_reg"), RTLOptions(topName: "v_comb", registers: .none, argmax: false)] {
            let design = try VerilogEmitter.design(network: Fixtures.small, options: options)
            let directory = try Fixtures.temporaryDirectory("verify")
            defer { try? FileManager.default.removeItem(at: directory) }
            let report = try Verifier(simulator: simulator).verify(design: design, network: Fixtures.small, vectors: vectors, in: directory)
            #expect(report.simulator == simulator)
            #expect(report.samples == Self.samples)
            #expect(report.mismatches == 0, "\(report.summary)")
            #expect(report.cycles >= Self.samples + design.latency)
            #expect(report.accuracy == vectors.softwareAccuracy)
        }
    }

    /// The `verilator` wrapper hands its whole command to `/bin/sh` as one
    /// string, capped at 128 KiB: sources in a deep project folder used to pass that.
    @Test func verilatorTakesMoreSourcePathsThanOneShellArgumentHolds() throws {
        let spec = NetworkSpec(
            inputFeatures: 8, inputBits: 1, classes: 3,
            layers: [
                LayerSpec(partitions: 60, fanIn: 3, outputBits: 1, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 3, fanIn: 4, outputBits: 2, shape: .neuraLUT(width: 4)),
            ], seed: 3)
        let network = LUTNetwork.random(spec: spec, seed: 4)
        let vectors = try TestVectors(network: network, codes: Fixtures.codes(for: network, count: 50), count: 50)
        let design = try VerilogEmitter.design(network: network, options: RTLOptions(topName: "deep_net"))
        let root = try Fixtures.temporaryDirectory("deep")
        defer { try? FileManager.default.removeItem(at: root) }
        let deep = (0..<12).reduce(root) { url, i in url.appendingPathComponent(String(repeating: "d", count: 200) + "\(i)") }
        let pathBytes = (design.simulationModels + design.files).map { deep.path.utf8.count + 5 + $0.path.utf8.count }.reduce(0, +)
        #expect(pathBytes > 131_072, "the premise: the sources' paths alone exceed one shell argument")
        let report = try Verifier(simulator: .verilator).verify(design: design, network: network, vectors: vectors, in: deep)
        #expect(report.mismatches == 0, "\(report.summary)")
        #expect(report.samples == 50)
    }

    @Test func sourceListIsRelativeToTheTestbenchFolder() {
        let tb = URL(fileURLWithPath: "/p/My Project/.lutbuild/verify/tb")
        let list = Verifier.sourceList(
            ["/p/My Project/.lutbuild/verify/rtl/a.v", "/p/My Project/.lutbuild/verify/tb/t.v", "/elsewhere/b.v"], relativeTo: tb)
        #expect(list == "../rtl/a.v\nt.v\n/elsewhere/b.v\n")
    }

    @Test func argmaxTreeKeepsLowestIndexOnTiesAcrossTenOutputs() throws {
        // 2-bit codes over 10 outputs: nearly every sample has a tie for the maximum.
        let spec = NetworkSpec(
            inputFeatures: 6, inputBits: 2, classes: 10,
            layers: [LayerSpec(partitions: 10, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4))], seed: 3)
        let network = LUTNetwork.random(spec: spec, seed: 4)
        let vectors = try TestVectors(network: network, codes: Fixtures.codes(for: network, count: 200), count: 200)
        let design = try VerilogEmitter.design(network: network, options: RTLOptions(topName: "ties_net", registers: .none))
        let directory = try Fixtures.temporaryDirectory("ties")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier(simulator: .iverilog).verify(design: design, network: network, vectors: vectors, in: directory)
        #expect(report.mismatches == 0, "\(report.summary)")
    }

    /// The testbench exits non-zero ($fatal) on a mismatch in both simulators;
    /// the verifier still reads its summary and reports the mismatches.
    @Test(arguments: [Simulator.verilator, .iverilog])
    func corruptedTableEntryIsCaught(simulator: Simulator) throws {
        let vectors = try Self.vectors()
        // Flip one output-layer entry that the vectors actually use, in the RTL only.
        let network = Fixtures.small
        let spec = network.spec
        let layer = spec.layers.count - 1
        var corrupted = network
        let used = try usedAddress(network: network, vectors: vectors, layer: layer, partition: 0)
        corrupted.tables[layer][0].codes[used] ^= 1
        let design = try VerilogEmitter.design(network: corrupted, options: RTLOptions(topName: "v_bad"))
        let directory = try Fixtures.temporaryDirectory("corrupt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier(simulator: simulator).verify(design: design, network: network, vectors: vectors, in: directory)
        #expect(report.mismatches > 0)
        #expect(!report.passed)
    }

    /// A vector file missing from the run directory stops the testbench with
    /// a message naming it, instead of warning and failing every sample.
    @Test func missingVectorFileStopsTheTestbench() throws {
        let vectors = try Self.vectors()
        let design = try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(topName: "v_missing"))
        let directory = try Fixtures.temporaryDirectory("missing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rtl = directory.appendingPathComponent("rtl"), tb = directory.appendingPathComponent("tb")
        for (folder, files) in [(rtl, design.files), (tb, Testbench.files(design: design, network: Fixtures.small, vectors: vectors))] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files where file.path != "classes.hex" {
                try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.path))
            }
        }
        let error = #expect(throws: RTLError.self) {
            try Verifier(simulator: .iverilog).run(
                rtlFiles: design.files.map { rtl.appendingPathComponent($0.path) }, testbenchDirectory: tb)
        }
        #expect(error?.description.contains("cannot open classes.hex") == true, "\(String(describing: error))")
    }

    /// A sample whose class alone is wrong is reported as an `out_class`
    /// mismatch, never as `out_data got=X expected=X`.
    @Test func classOnlyMismatchNamesOutClass() throws {
        let vectors = try Self.vectors()
        let design = try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(topName: "v_class"))
        let directory = try Fixtures.temporaryDirectory("class-only")
        defer { try? FileManager.default.removeItem(at: directory) }
        var files = design.files + Testbench.files(design: design, network: Fixtures.small, vectors: vectors)
        // Expect a different class for sample 0 only; out_data stays right.
        let index = try #require(files.firstIndex { $0.path == "classes.hex" })
        var lines = files[index].contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = try #require(lines.firstIndex { !$0.isEmpty && !$0.hasPrefix("//") })
        let wrongClass = (Int(lines[first], radix: 16)! + 1) % 3
        lines[first] = String(wrongClass, radix: 16)
        files[index].contents = lines.joined(separator: "\n")
        for file in files { try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.path)) }
        let sources = files.map(\.path).filter { $0.hasSuffix(".v") }
        let output = try Self.shell("iverilog -g2012 -o sim.vvp \(sources.joined(separator: " ")) && vvp -n sim.vvp", in: directory)
        let mismatches = output.split(separator: "\n").filter { $0.hasPrefix("MISMATCH") }
        #expect(mismatches.count == 1, "\(output)")
        #expect(mismatches.first?.hasPrefix("MISMATCH sample=0 out_class got=") == true, "\(output)")
        #expect(mismatches.first?.hasSuffix("expected=\(wrongClass)") == true, "\(output)")
    }

    /// Runs `command` with sh in `directory`; its stdout and stderr.
    private static func shell(_ command: String, in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// An address partition `partition` of `layer` sees for the first sample.
    private func usedAddress(network: LUTNetwork, vectors: TestVectors, layer: Int, partition: Int) throws -> Int {
        var truncated = network
        truncated.spec.layers = Array(network.spec.layers[..<layer])
        truncated.tables = Array(network.tables[..<layer])
        truncated.connectivity.inputs = Array(network.connectivity.inputs[..<layer])
        let hidden = try truncated.infer(codes: Array(vectors.inputs[..<network.spec.inputFeatures]), count: 1)
        let bits = network.spec.inputBits(ofLayer: layer)
        return network.connectivity.inputs[layer][partition].reduce(0) { ($0 << bits) | Int(hidden[$1]) }
    }
}
