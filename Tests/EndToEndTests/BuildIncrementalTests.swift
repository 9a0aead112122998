import Foundation
import Testing

/// The incremental build on a tiny template project: exactly the expected
/// steps rerun after each edit, asserted by step names.
@Suite struct BuildIncrementalTests {
    @Test func noOpRebuildRunsNothing() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let first = try project.build(["--simulator", "iverilog"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.ran.contains("verify"))
        #expect(first.ran.contains("check/tables"), "the exact tables agree with the trained network")
        #expect(first.ran.contains("estimate"))
        #expect(first.ran.contains("package"))
        #expect(project.scratch.exists("gen/reports/verify.json"))
        #expect(project.scratch.exists("gen/reports/estimate.json"))
        #expect(project.scratch.exists("gen/vivado/build.tcl"))
        #expect(project.scratch.exists("gen/ip/example.org_lutnn_digits_lut_1.0/component.xml"))
        #expect(
            first.ran(prefix: "train/")
                == (units("train", layer: 0, count: 8) + units("train", layer: 1, count: 6)
                + units("train", layer: 2, count: 10) + ["train/quantizers", "train/training.csv", "train/training.json"]).sorted())
        let training = try #require(
            try JSONSerialization.jsonObject(
                with: Data(project.scratch.read("gen/reports/training.json").utf8)) as? [String: Any])
        #expect(training["selectedEpoch"] as? Int == 1)
        #expect((training["epochs"] as? [Any])?.count == 1)
        #expect(training["testAccuracy"] as? Double != nil && training["validationAccuracy"] as? Double != nil)
        #expect(training["partial"] as? Bool == false)
        // One validation split: the rows data/prepare reports are the rows training used.
        let data = try #require(
            try JSONSerialization.jsonObject(
                with: Data(project.scratch.read("gen/reports/data.json").utf8)) as? [String: Any])
        #expect(training["trainRows"] as? Int == data["trainRows"] as? Int)
        #expect(training["validationRows"] as? Int == data["validationRows"] as? Int)
        #expect(data["validationRows"] as? Int ?? 0 > 100)
        #expect(try project.scratch.read("gen/reports/training.csv").hasPrefix("epoch,loss,train_acc,val_acc,test_acc\n1,"))
        #expect(project.scratch.exists("gen/rtl/digits_lut.v"))
        #expect(project.scratch.exists("gen/rtl/digits_lut_l1_p5.v"))
        #expect(project.scratch.exists("gen/tb/lutbuild_tb.v"))
        let thresholds = try #require(
            try JSONSerialization.jsonObject(
                with: Data(project.scratch.read("gen/rtl/digits_lut_input_thresholds.json").utf8)) as? [String: Any])
        #expect(thresholds["format"] as? String == "lutbuild-input-thresholds")
        #expect((thresholds["features"] as? [Any])?.count == 64)
        #expect(try project.scratch.read("gen/rtl/digits_lut_input_thresholds.csv").hasPrefix("index,name,scale,offset,direction,t1"))
        let lock = try project.scratch.read("lutbuild.lock")
        let second = try project.build(["--simulator", "iverilog"])
        #expect(second.status == 0)
        #expect(second.ran.isEmpty)
        #expect(try project.scratch.read("lutbuild.lock") == lock)
        let status = try LutbuildBinary.run(["status", "--check", "--simulator", "iverilog"], in: project.url)
        #expect(status.status == 0, "\(status.stdout)")

        // The end-of-build summary, also from cached results.
        let results = try #require(second.events.last { $0["event"] as? String == "summary" }?["results"] as? [String: Any])
        let verification = try #require(results["verification"] as? [String: Any])
        #expect(verification["mismatches"] as? Int == 0 && verification["simulator"] as? String == "iverilog")
        #expect((results["resources"] as? [String: Any])?["luts"] as? Int ?? 0 > 0)
        let inference = try #require(results["inference"] as? [String: Any])
        #expect(inference["latency_cycles"] as? Int == 3)
        #expect(inference["test_accuracy"] as? Double == verification["accuracy"] as? Double)
        // The tables run on the connectivity step's wiring; training drew the same one.
        #expect(inference["test_accuracy"] as? Double == training["testAccuracy"] as? Double)
        let plain = try LutbuildBinary.run(["build", "--simulator", "iverilog"], in: project.url)
        let lines = plain.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ran 0 steps") == true, "\(plain.stdout)")
        #expect(lines.contains { $0.hasPrefix("  test accuracy ") && $0.contains("(LUT inference, ") })
        #expect(lines.contains { $0.hasPrefix("  RTL verify: 0 mismatches in ") && $0.hasSuffix("(iverilog)") })
        #expect(
            lines.contains {
                $0.hasPrefix("  hardware: ") && $0.contains(" LUTs (mapped partitions, exact), ") && $0.contains("LUT levels")
            })
        #expect(lines.contains("  latency: 3 cycles"))
    }

    @Test func configEditsRerunExactlyTheExpectedSteps() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build().status == 0)

        // [rtl] only: no training, no tabulation.
        try project.edit("argmax = true", "argmax = false")
        let rtl = try project.build()
        #expect(rtl.status == 0, "\(rtl.stderr)")
        #expect(rtl.ran == ["package", "testbench", "verilog/top"])

        // One hidden layer's width: the network is trained jointly, so all of it retrains (a clean build's result).
        try project.edit("{ partitions = 6 }", "{ partitions = 6, width = 8 }")
        let explain = try LutbuildBinary.run(["explain"], in: project.url)
        #expect(
            explain.stdout.contains(
                "train/layer1/{p0 … p5} (6): the batch's parameters changed (its own or a member's); parameters changed\n"),
            "\(explain.stdout)")
        #expect(explain.stdout.contains("train/layer0/{p0 … p7} (8): the batch's parameters changed (its own or a member's)\n"))
        let width = try project.build()
        #expect(width.status == 0, "\(width.stderr)")
        #expect(width.ran(prefix: "train/").count == (try project.trainUnits()))
        #expect(!width.messages("progress").contains { $0.hasPrefix("warm-starting") }, "a whole-network run starts fresh")

        // --retrain forces one layer; the others stay frozen.
        let forced = try project.build(["--no-verify", "--no-estimate", "--retrain", "layer2"])
        #expect(forced.ran(prefix: "train/layer") == units("train", layer: 2, count: 10))
        #expect(forced.messages("progress").contains("warm-starting 10 partition(s) from their previous weights"))
        // The training log describes this partial run.
        let log = try #require(
            try JSONSerialization.jsonObject(
                with: Data(project.scratch.read("gen/reports/training.json").utf8)) as? [String: Any])
        #expect(log["partial"] as? Bool == true)
        #expect(log["trainedPartitions"] as? [String] == (0..<10).map { "layer2/p\($0)" })
        #expect(forced.ran(prefix: "tabulate/").allSatisfy { $0.hasPrefix("tabulate/layer2/") })
        #expect(forced.ran(prefix: "synthesize/").allSatisfy { $0.hasPrefix("synthesize/layer2/") }, "\(forced.ran)")

        // A global change (optimiser) retrains everything.
        try project.edit("learning_rate = 3e-3", "learning_rate = 2e-3")
        let global = try project.build()
        #expect(global.ran(prefix: "train/").count == (try project.trainUnits()))
    }

    /// Issue: after losing .lutbuild/'s index, `status` said "up to date" and the build retrained everything.
    @Test func statusSaysWhatABuildRerunsAfterTheIndexIsLost() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build().status == 0)
        try FileManager.default.removeItem(at: project.scratch.path(".lutbuild/cache/index"))
        // (`status` judges a full build, so verify and estimate, not run here, are stale too.)
        let status = try LutbuildBinary.run(["status"], in: project.url)
        #expect(!status.stdout.contains("stale    train/"), "\(status.stdout)")
        #expect(
            status.stdout.contains("\nrerun    train/layer0/{p0 … p7} (8): no cached result for the current inputs\n"),
            "\(status.stdout)")
        #expect(status.stdout.contains("the next build runs them again"), "\(status.stdout)")
        let rebuild = try project.build()
        #expect(rebuild.ran(prefix: "train/").count == 8 + 6 + 10 + 3)
    }

    @Test func handEditedOutputIsReportedAndRestored() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build().status == 0)
        let original = try project.scratch.read("gen/rtl/digits_lut_l0_p0.v")
        try project.scratch.write("gen/rtl/digits_lut_l0_p0.v", "// edited\n")
        let status = try LutbuildBinary.run(["status", "--check"], in: project.url)
        #expect(status.status == 1)
        #expect(status.stdout.contains("edited   gen/rtl/digits_lut_l0_p0.v"))
        let rebuild = try project.build()
        #expect(rebuild.ran.isEmpty)
        #expect(try project.scratch.read("gen/rtl/digits_lut_l0_p0.v") == original)
    }

    /// The log describes the run that made the weights; it cannot be made
    /// alone, so a lost log reruns the whole (deterministic) training, which
    /// gives the same bytes, never an empty log.
    @Test func lostTrainingLogIsTrainedAgainToTheSameBytes() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build().status == 0)
        let original = try project.scratch.read("gen/reports/training.json")
        let lock = try project.scratch.read("lutbuild.lock")
        let steps =
            try #require(try JSONSerialization.jsonObject(with: Data(lock.utf8)) as? [String: Any])["steps"] as? [String: [String: Any]]
        let digest = try #require((steps?["train/training.json"]?["outputs"] as? [String: String])?["training.json"])
        try FileManager.default.removeItem(at: project.scratch.path(".lutbuild/cache/objects/\(digest.prefix(2))/\(digest.dropFirst(2))"))
        try FileManager.default.removeItem(at: project.scratch.path("gen/reports/training.json"))
        let rebuild = try project.build()
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(rebuild.ran(prefix: "train/").count == (try project.trainUnits()))
        #expect(rebuild.ran(prefix: "tabulate/").isEmpty, "the same weights: nothing downstream runs")
        #expect(try project.scratch.read("gen/reports/training.json") == original)
        #expect(try project.scratch.read("lutbuild.lock") == lock)
    }

    /// The whole store lost and a published file deleted: one build restores
    /// exactly the clean build's outputs (training again from scratch, not
    /// warm-started from the weights it has just retrained).
    @Test func lostStoreRebuildsTheCleanBuildsOutputs() throws {
        try Self.expectOneBuildRestoresCleanOutputs { project in
            try FileManager.default.removeItem(at: project.scratch.path(".lutbuild/cache/objects"))
        }
    }

    /// Builds the tiny project, damages its store with `damage`, deletes a
    /// published file, and expects one build to give the clean build's lock file
    /// and Verilog again.
    private static func expectOneBuildRestoresCleanOutputs(after damage: (TinyProject) throws -> Void) throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build().status == 0)
        let lock = try project.scratch.read("lutbuild.lock")
        let network = try project.scratch.read("gen/rtl/digits_lut_l0_p0.v")
        try damage(project)
        try FileManager.default.removeItem(at: project.scratch.path("gen/rtl/digits_lut_l0_p0.v"))
        let rebuild = try project.build()
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(try project.scratch.read("gen/rtl/digits_lut_l0_p0.v") == network)
        #expect(try project.scratch.read("lutbuild.lock") == lock)
    }

    /// Every stored object overwritten and a published file deleted: one build
    /// finds them all (not one producer per pass) and restores exactly the
    /// clean build's outputs.
    @Test func corruptStoreRebuildsTheCleanBuildsOutputs() throws {
        try Self.expectOneBuildRestoresCleanOutputs { project in
            let objects = project.scratch.path(".lutbuild/cache/objects")
            let files = try #require(FileManager.default.enumerator(at: objects, includingPropertiesForKeys: nil)?.allObjects as? [URL])
            var overwritten = 0
            for file in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                try Data("garbage".utf8).write(to: file)
                overwritten += 1
            }
            #expect(overwritten > 10)
        }
    }

    @Test func corruptedStoreObjectIsDetectedAndRebuilt() throws {
        let project = try TinyProject()
        defer { project.remove() }
        #expect(try project.build().status == 0)
        // Corrupt the stored LUT network, then make a step read it.
        let lock = try JSONSerialization.jsonObject(with: Data(project.scratch.read("lutbuild.lock").utf8)) as? [String: Any]
        let steps = lock?["steps"] as? [String: [String: Any]]
        let digest = try #require((steps?["network"]?["outputs"] as? [String: String])?["network"])
        let object = ".lutbuild/cache/objects/\(digest.prefix(2))/\(digest.dropFirst(2))"
        try project.scratch.write(object, "garbage")
        try project.edit("argmax = true", "argmax = false")
        let rebuild = try project.build()
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(rebuild.messages("warning").contains { $0.contains("corrupt") })
        #expect(rebuild.ran.contains("network"))
        #expect(rebuild.ran(prefix: "train/").isEmpty)
        #expect(try Data(contentsOf: project.scratch.path(object)).count > 7)
    }
}
