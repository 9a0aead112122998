import BuildGraph
import Foundation
import Synthesis
@testable import RTL
import Synchronization
import NeuraLUT
import Testing
@testable import Pipeline
@testable import ProjectFile

/// The build's keys, in memory and without training: each edit of the
/// project file or the data reruns exactly the steps that depend on it.
/// Training is replaced by untrained weights that differ per run (see
/// `MemoryPipeline.untrained`), so everything downstream of a retrained
/// partition sees new weights, as after real training.
@Suite struct PipelineKeyTests {
    /// Steps downstream of new tables that may be cut off early when a
    /// partition's new weights happen to give the same table.
    /// (`report/html` needs verify and estimate, which these builds leave out.)
    static let afterTables: Set<String> = ["network", "verilog/top", "testbench", "evaluate", "package"]

    static func units(_ prefix: String, layer: Int, partitions: Int) -> Set<String> {
        Set((0..<partitions).map { "\(prefix)/layer\(layer)/p\($0)" })
    }

    /// `ran` holds every step of `required` and nothing outside `required` and `cutoff`.
    static func expectRan(
        _ summary: BuildSummary, required: Set<String>, cutoff: Set<String>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let ran = Set(summary.ran)
        // A stale unit whose key equals one that ran in the same build (e.g. two partitions with equal
        // tables) reuses that result: it was rerun, by the equal unit's work.
        let rerun = ran.union(summary.reusedFromEqual)
        #expect(required.isSubset(of: rerun), "missing \(required.subtracting(rerun).sorted())", sourceLocation: sourceLocation)
        #expect(
            ran.isSubset(of: required.union(cutoff)), "unexpected \(ran.subtracting(required.union(cutoff)).sorted())",
            sourceLocation: sourceLocation)
    }

    /// Reads the weights themselves, so it reruns whenever a partition is retrained.
    static let tableCheck: Set<String> = ["check/tables"]

    static let allTrain = units("train", layer: 0, partitions: 4).union(units("train", layer: 1, partitions: 3))
        .union(["train/quantizers", "train/training.json", "train/training.csv"])
    static let allTables = units("tabulate", layer: 0, partitions: 4).union(units("tabulate", layer: 1, partitions: 3))
    static let allModules = units("verilog", layer: 0, partitions: 4).union(units("verilog", layer: 1, partitions: 3))
    static let allMappings = units("synthesize", layer: 0, partitions: 4).union(units("synthesize", layer: 1, partitions: 3))

    @Test func aSecondBuildRunsNothing() async throws {
        let project = try MemoryPipeline()
        let first = try await project.build()
        #expect(first.ran.contains("train/layer1/p2") && first.ran.contains("package"))
        #expect(try await project.build().ran == [])
    }

    /// The stale-output bug: the data summary does not change when a CSV
    /// column is renamed, but the thresholds step publishes column names.
    @Test func renamingACSVColumnRewritesOnlyTheThresholdsAndTheirCopies() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        #expect(try project.read("gen/rtl/tiny_input_thresholds.csv").contains("f2,"))
        try project.write("data/train.csv", MemoryPipeline.csv(names: ["f0", "f1", "width_mm", "f3"]))
        let rebuild = try await project.build()
        // The IP ships the thresholds file, so packaging reruns too, and the page shows them; nothing trains.
        #expect(rebuild.ran.sorted() == ["data/prepare", "package", "thresholds"])
        let csv = try project.read("gen/rtl/tiny_input_thresholds.csv")
        #expect(csv.contains("width_mm,") && !csv.contains("f2,"))
        #expect(try project.read("gen/rtl/tiny_input_thresholds.json").contains("\"width_mm\""))
    }

    @Test func changingADataValueRetrainsEverything() async throws {
        let project = try MemoryPipeline()
        let first = try await project.build()
        var rows = MemoryPipeline.rows
        rows[5][1] += 0.5
        try project.write("data/train.csv", MemoryPipeline.csv(rows: rows))
        let rebuild = try await project.build()
        #expect(
            first.ran.count + first.reusedFromEqual.count == 2 + Self.allTrain.count + Self.allTables.count + Self.allMappings.count
                + Self.allModules.count
                + 1 + Self.afterTables.count + Self.tableCheck.count)
        Self.expectRan(
            rebuild,
            required: Self.allTrain.union(Self.allTables).union(["data/prepare", "connectivity", "thresholds"])
                .union(Self.tableCheck),
            cutoff: Self.allMappings.union(Self.allModules).union(Self.afterTables))
    }

    @Test func changingTheRegistersReemitsOnlyNetworkLevelRTL() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("registers = \"every-layer\"", "registers = \"none\"")
        #expect(try await project.build().ran.sorted() == ["evaluate", "package", "testbench", "verilog/top"])
    }

    /// Patch wiring (`image_width`) changes what layer 0 and a tree layer above
    /// it read: the wiring is drawn again and every partition retrains.
    @Test func imageWidthRewiresAndRetrainsEverything() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("fan_in = 2", "fan_in = 2\nimage_width = 2")
        let ran = Set(try await project.build().ran)
        #expect(ran.contains("connectivity"))
        #expect(Self.allTrain.isSubset(of: ran), "missing \(Self.allTrain.subtracting(ran).sorted())")
    }

    /// Channels place the same features differently (patches, the search's windows, shifts): the
    /// wiring is drawn again and training, which shifts images by them, reruns. On these 4 features
    /// the drawn wiring may come out the same, so the steps' keys are checked, not the wiring.
    @Test func imageChannelsRewireAndRetrain() async throws {
        let project = try MemoryPipeline()
        try project.edit("fan_in = 2", "fan_in = 2\nimage_width = 1")
        try await project.build()
        try project.edit("image_width = 1", "image_width = 1\nimage_channels = 2")
        let ran = Set(try await project.build().ran)
        #expect(ran.contains("connectivity"))
        #expect(Self.allTrain.isSubset(of: ran), "missing \(Self.allTrain.subtracting(ran).sorted())")
    }

    /// A hidden layer's width: the network is trained jointly, so every
    /// partition and the quantizers retrain (what a clean build gives; the
    /// stale-quantizer bug kept the old scales), and only changed tables are remapped.
    @Test func changingOneLayersWidthRetrainsTheWholeNetwork() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("{ partitions = 4 }", "{ partitions = 4, width = 6 }")
        let summary = try await project.build()
        Self.expectRan(
            summary, required: Self.allTrain.union(Self.allTables).union(Self.tableCheck),
            cutoff: Self.allMappings.union(Self.allModules).union(Self.afterTables).union(["thresholds"]))
    }

    /// `--retrain layerK`: only that layer's partitions train, the rest and the
    /// quantizers frozen; a plain build afterwards keeps that result.
    @Test func retrainingOneLayerTrainsOnlyIt() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        let retrained = try await project.build(retrain: [1])
        Self.expectRan(
            retrained,
            required: Self.units("train", layer: 1, partitions: 3).union(["train/training.json", "train/training.csv"]),
            cutoff: Self.units("tabulate", layer: 1, partitions: 3).union(Self.units("synthesize", layer: 1, partitions: 3))
                .union(Self.units("verilog", layer: 1, partitions: 3)).union(Self.afterTables).union(Self.tableCheck))
        #expect(try await project.build().ran == [])
    }

    /// How the mapped netlists are written is not how they are mapped: no remapping.
    @Test func xilinxPrimitivesReemitModulesWithoutRemapping() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("registers = \"every-layer\"", "registers = \"every-layer\"\nprimitives = \"xilinx\"")
        let summary = try await project.build()
        Self.expectRan(summary, required: Self.allModules.union(["package"]), cutoff: [])
        #expect(try project.read("gen/rtl/tiny_l1_p0.v").contains("LUT"))
    }

    /// The mapper's effort remaps every table and trains nothing.
    @Test func mapperEffortRemapsWithoutRetraining() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("[train]", "[hardware]\nmapper_effort = \"fast\"\n[train]")
        let summary = try await project.build()
        Self.expectRan(summary, required: Self.allMappings, cutoff: Self.allModules.union(["package"]))
    }

    @Test func changingTheOptimiserRetrainsEveryPartitionButNotTheWiring() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("epochs = 3", "epochs = 4")
        Self.expectRan(
            try await project.build(), required: Self.allTrain.union(Self.allTables).union(["thresholds"]).union(Self.tableCheck),
            cutoff: Self.allMappings.union(Self.allModules).union(Self.afterTables))
    }

    /// The wiring search is a training run: its key holds every setting the run reads, so an
    /// optimiser edit redoes the search; without the search, it leaves the wiring alone.
    @Test func theWiringSearchIsKeyedByTheTrainingItRuns() async throws {
        let project = try MemoryPipeline()
        try project.edit("[model]", "[model]\nimage_width = 2")
        try await project.build()
        try project.edit("image_width = 2", "image_width = 2\nsearch_wiring = true")
        #expect(try await project.build().ran.contains(ConnectivityStep.id))
        try project.edit("epochs = 3", "epochs = 4")
        #expect(try await project.build().ran.contains(ConnectivityStep.id))
        try project.edit("epochs = 4", "epochs = 4\ncentre_inputs = true")
        #expect(try await project.build().ran.contains(ConnectivityStep.id))
        try project.edit("search_wiring = true", "")
        try await project.build()
        try project.edit("epochs = 4", "epochs = 5")
        #expect(try await project.build().ran.contains(ConnectivityStep.id) == false)
    }

    /// `train.centre_inputs = false` is the default spelled out: it keeps every key (projects
    /// from before the key keep their results); `true` retrains, the wiring stays.
    @Test func centringTheInputsRetrainsAndItsDefaultKeepsEveryKey() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("epochs = 3", "epochs = 3\ncentre_inputs = false")
        #expect(try await project.build().ran == [])
        try project.edit("centre_inputs = false", "centre_inputs = true")
        Self.expectRan(
            try await project.build(), required: Self.allTrain.union(Self.allTables).union(["thresholds"]).union(Self.tableCheck),
            cutoff: Self.allMappings.union(Self.allModules).union(Self.afterTables))
    }

    /// `[train] distillation` puts a float teacher in the graph, and its logits are a declared
    /// input of the train step and of the wiring search's run, so both are keyed by the teacher
    /// they learn from. `0` is the default spelled out: it keeps every key.
    @Test func distillationTrainsATeacherWhoseLogitsTheRunsRead() async throws {
        let project = try MemoryPipeline()
        try project.edit("[model]", "[model]\nimage_width = 2\nsearch_wiring = true")
        #expect(try await project.build().ran.contains(TeacherStep.id) == false)
        try project.edit("epochs = 3", "epochs = 3\ndistillation = 0")
        #expect(try await project.build().ran == [])
        try project.edit("distillation = 0", "distillation = 0.5")
        let ran = try await project.build().ran
        #expect(ran.contains(TeacherStep.id) && ran.contains(ConnectivityStep.id) && ran.contains { $0.hasPrefix("train/") }, "\(ran)")
        let report = try JSONDecoder().decode(TeacherStep.Report.self, from: Data(try project.read("gen/reports/teacher.json").utf8))
        #expect(report.hidden == TeacherRecipe(seed: 1).hidden && report.trainAccuracy > 0)
        let text = try project.read("lutbuild.toml")
        let config = try ProjectConfig.parse(text: text, path: ProjectConfig.fileName)
        let teacher = StepInput.output(step: TeacherStep.id, name: TeacherStep.logitsOutput)
        #expect(try TrainStep.make(config).inputs[TeacherStep.input.name] == teacher)
        let definition = Project(directory: URL(fileURLWithPath: project.root), displayDirectory: "", config: config, text: text)
        #expect(try ConnectivityStep.make(definition).inputs[TeacherStep.input.name] == teacher)
        // The weight alone retrains, and the teacher stays.
        try project.edit("distillation = 0.5", "distillation = 0.25")
        let reweighted = try await project.build().ran
        #expect(!reweighted.contains(TeacherStep.id) && reweighted.contains { $0.hasPrefix("train/") }, "\(reweighted)")
    }

    /// `[dataset] value_step` floors the data, so everything is prepared and trained again,
    /// and moves the published thresholds (and so the encoder's comparators) onto its multiples.
    @Test func aValueStepTrainsOnFlooredDataAndPutsTheThresholdsOnItsMultiples() async throws {
        let project = try MemoryPipeline()
        try project.edit("[rtl]", "[rtl]\ninput_encoder = true")
        try await project.build()
        try project.edit("test_fraction = 0.25", "test_fraction = 0.25\nvalue_step = 0.5")
        let ran = try await project.build().ran
        #expect(ran.contains("data/prepare") && ran.contains("thresholds") && ran.contains { $0.hasPrefix("train/") }, "\(ran)")
        let thresholds = try JSONDecoder().decode(
            InputThresholds.self, from: Data(try project.read("gen/rtl/tiny_input_thresholds.json").utf8))
        #expect(thresholds.rule.hasPrefix("x floored to a multiple of 0.5 first"))
        for feature in thresholds.features {
            for t in feature.thresholds {
                let multiple = feature.direction == "increasing" ? t : t.nextUp
                #expect((multiple / 0.5).rounded() * 0.5 == multiple, "\(feature.name) \(feature.direction) \(t)")
            }
        }
    }

    @Test func renamingTheTopRenamesModulesWithoutRetraining() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("name = \"tiny\"", "name = \"mini\"")
        let ran = try await project.build().ran
        #expect(
            !ran.contains { $0.hasPrefix("train/") || $0.hasPrefix("tabulate/") || $0.hasPrefix("synthesize/") || $0 == "data/prepare" },
            "\(ran)")
        #expect(ran.contains("verilog/layer1/p2") && ran.contains("package") && !ran.contains("thresholds"), "\(ran)")
        // The thresholds are the same bytes, published under the new name.
        #expect(try project.read("gen/rtl/mini_input_thresholds.csv").contains("f2,"))
    }

    /// The AXI4-Stream interface re-emits the top and what reads it; no
    /// partition module, mapping or training. The input encoder adds the
    /// thresholds step's comparators; switching it off reruns nothing new.
    @Test func theInterfaceAndTheEncoderRerunOnlyTheTopAndWhatReadsIt() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("[rtl]", "[rtl]\ninterface = \"axis\"")
        let axis = try await project.build().ran
        #expect(
            !axis.contains { $0.hasPrefix("train/") || $0.hasPrefix("synthesize/") || $0.hasPrefix("verilog/layer") || $0 == "thresholds" },
            "\(axis)")
        #expect(axis.contains("verilog/top") && axis.contains("testbench") && axis.contains("package"), "\(axis)")

        try project.edit("[rtl]", "[rtl]\ninput_encoder = true")
        let encoder = try await project.build().ran
        #expect(encoder.contains("thresholds") && encoder.contains("verilog/top") && encoder.contains("testbench"), "\(encoder)")
        #expect(!encoder.contains { $0.hasPrefix("train/") || $0.hasPrefix("synthesize/") || $0.hasPrefix("verilog/layer") }, "\(encoder)")
        #expect(try project.read("gen/rtl/tiny_encoder.v").contains("module tiny_encoder"))

        try project.edit("[rtl]\ninput_encoder = true", "[rtl]")
        #expect(try await project.build().ran.isEmpty)
    }

    /// Don't-cares need no retraining or retabulation: switching them on adds
    /// the care sets; the threshold reruns the care sets only, and what reads
    /// them when they changed; switching them off brings back the cached results.
    @Test func dontCareSettingsRerunOnlyTheCareSetsAndWhatReadsThem() async throws {
        let project = try MemoryPipeline()
        try await project.build()
        try project.edit("[rtl]", "[hardware]\ndont_care = \"unseen\"\n[rtl]")
        let on = try await project.build()
        // Every table is mapped again with its care set; `network/exact` and
        // `synthesize/exact/…` have the keys `network` and `synthesize/…` had, so they come from the cache.
        let mappings = Self.units("synthesize", layer: 0, partitions: 4).union(Self.units("synthesize", layer: 1, partitions: 3))
        let downstream = Self.afterTables.union(Self.allModules).union(["report/html"])
        Self.expectRan(on, required: mappings.union(["care-sets", "evaluate"]), cutoff: downstream)
        let report = try JSONDecoder().decode(EvaluateStep.Report.self, from: Data(try project.read(EvaluateStep.reportPath).utf8))
        let effect = try #require(report.dontCare)
        #expect(effect.entries == 4 * 16 + 3 * 16 && effect.caredEntries > 0 && effect.caredEntries < effect.entries)
        #expect(effect.filledTestAccuracy == report.testAccuracy)

        try project.edit("dont_care = \"unseen\"", "dont_care = \"unseen\"\ndont_care_min_hits = 1000")
        let threshold = try await project.build()
        Self.expectRan(threshold, required: mappings.union(["care-sets", "evaluate"]), cutoff: downstream)
        let none = try JSONDecoder().decode(EvaluateStep.Report.self, from: Data(try project.read(EvaluateStep.reportPath).utf8))
        #expect(none.dontCare?.caredEntries == 0 && none.dontCare?.testLookupsOutsideCare == 1)

        try project.edit("dont_care = \"unseen\"", "dont_care = \"none\"")
        // The first build's evaluation, from the cache.
        #expect(try await project.build().ran == [])
        let off = try JSONDecoder().decode(EvaluateStep.Report.self, from: Data(try project.read(EvaluateStep.reportPath).utf8))
        #expect(off.dontCare == nil)
    }

    /// A width that does not divide the feature count is a mistake (patches would be scattered).
    @Test func anImageWidthThatDoesNotFitTheDataIsReportedOnItsLine() async throws {
        let project = try MemoryPipeline()
        try project.edit("fan_in = 2", "fan_in = 2\nimage_width = 3")
        await #expect {
            try await project.build()
        } throws: { error in
            guard let failure = error as? BuildFailure, let problem = failure.failures.first?.error as? ProjectError else { return false }
            return problem.description == "lutbuild.toml:11: model.image_width: the 4 input features of data/train.csv are not "
                + "whole rows of 3 pixels; expected the images' width, a divisor of 4 (MNIST: 28)"
        }
        #expect((try? project.read("gen/rtl/tiny_l1_p0.v")) == nil, "nothing is emitted")
    }

    /// Channels that do not divide the features, and a width that does not divide their pixels.
    @Test func imageChannelsThatDoNotFitTheDataAreReportedOnTheirLine() async throws {
        for (lines, expected) in [
            (
                "image_width = 1\nimage_channels = 3",
                "lutbuild.toml:12: model.image_channels: the 4 input features of data/train.csv are not whole pixels of 3"
                    + " features; expected the features a pixel has, a divisor of 4"
            ),
            (
                "image_width = 3\nimage_channels = 2",
                "lutbuild.toml:11: model.image_width: the 4 input features of data/train.csv are not whole rows of 3 pixels of 2"
                    + " features each; expected the images' width, a divisor of 2 (MNIST: 28)"
            ),
        ] {
            let project = try MemoryPipeline()
            try project.edit("fan_in = 2", "fan_in = 2\n" + lines)
            await #expect {
                try await project.build()
            } throws: { error in
                guard let failure = error as? BuildFailure, let problem = failure.failures.first?.error as? ProjectError else {
                    return false
                }
                return problem.description == expected
            }
        }
    }

    @Test func badDataIsReportedWithTheProjectFilesKeyAndLine() async throws {
        let project = try MemoryPipeline()
        try project.edit("{ partitions = 3 }", "{ partitions = 2 }")
        await #expect {
            try await project.build()
        } throws: { error in
            guard let failure = error as? BuildFailure, let problem = failure.failures.first?.error as? ProjectError else { return false }
            return problem.description
                == "lutbuild.toml:16: model.layers[1].partitions: the last layer needs one partition per class: expected 3 (the"
                + " classes in data/train.csv), found 2"
        }
    }

    @Test func theLastLayerNeedsKPartitionsPerClass() async throws {
        let project = try MemoryPipeline()
        try project.edit("[model]", "[model]\npartitions_per_class = 2")
        try project.edit("{ partitions = 3 }", "{ partitions = 4 }")
        await #expect {
            try await project.build()
        } throws: { error in
            guard let failure = error as? BuildFailure, let problem = failure.failures.first?.error as? ProjectError else { return false }
            return problem.description
                == "lutbuild.toml:17: model.layers[1].partitions: the last layer needs 2 partitions per class"
                + " (model.partitions_per_class = 2): expected 6 (3 classes in data/train.csv × 2), found 4"
        }
    }

    /// With k = 2 the RTL gets the class scores' module, the estimate counts it
    /// (the yosys fake) into the total, and one partition per class has neither.
    @Test func classScoresAreEmittedAndCounted() async throws {
        let project = try MemoryPipeline()
        try await project.build(full: true)
        let plain = try JSONDecoder().decode(MappedEstimate.self, from: Data(try project.read(OutputLayout.Report.estimateJSON).utf8))
        #expect(plain.classScores == nil)
        #expect((try? project.read("gen/rtl/tiny_class_scores.v")) == nil)
        #expect(try !project.read("gen/rtl/tiny_output_codes.json").contains("score"))

        try project.edit("[model]", "[model]\npartitions_per_class = 2")
        try project.edit("{ partitions = 3 }", "{ partitions = 6 }")
        try await project.build(full: true)
        #expect(try project.read("gen/rtl/tiny_class_scores.v").contains("module tiny_class_scores"))
        #expect(try project.read("gen/rtl/tiny.v").contains("tiny_class_scores class_scores_head"))
        let codes = try project.read("gen/rtl/tiny_output_codes.json")
        #expect(codes.contains("\"partitions_per_class\":2") && codes.contains("\"score_bits\":3"), "\(codes)")
        let estimate = try JSONDecoder().decode(MappedEstimate.self, from: Data(try project.read(OutputLayout.Report.estimateJSON).utf8))
        let scores = try #require(estimate.classScores)
        #expect(estimate.luts == estimate.layers.map(\.luts).reduce(0, +) + scores.luts)
        #expect(estimate.lutsBySize.reduce(0, +) == estimate.luts)
        #expect(project.simulations.entries.contains { $0.hasSuffix(": tiny_class_scores") }, "\(project.simulations.entries)")
    }
}

/// A tiny CSV project in an in-memory file system with a fake clock.
struct MemoryPipeline {
    static let config = """
        [project]
        name = "tiny"
        [dataset]
        train = "data/train.csv"
        label = "class"
        test_fraction = 0.25
        [model]
        input_bits = 2
        bits = 2
        fan_in = 2
        width = 4
        depth = 2
        skip = 0
        layers = [
          { partitions = 4 },
          { partitions = 3 },
        ]
        [train]
        epochs = 3
        [rtl]
        registers = "every-layer"
        """

    /// 48 rows of 4 features in 3 classes.
    static let rows: [[Double]] = (0..<48).map { r in
        let c = r % 3
        return [Double(c) + Double(r % 5) * 0.1, Double(r % 7) * 0.3, Double(c * 2) - Double(r % 4) * 0.2, Double((r * 13) % 11) * 0.1]
    }

    static func csv(names: [String] = ["f0", "f1", "f2", "f3"], rows: [[Double]] = rows, labelOffset: Int = 0) -> String {
        var lines = [(names + ["class"]).joined(separator: ",")]
        for (r, row) in rows.enumerated() { lines.append((row.map { String($0) } + [String(r % 3 + labelOffset)]).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    let clock = FakeClock()
    let fileSystem: InMemoryFileSystem
    let root = "/project"

    init() throws {
        fileSystem = InMemoryFileSystem(clock: clock)
        try fileSystem.createDirectory(root)
        try write("lutbuild.toml", Self.config)
        try write("data/train.csv", Self.csv())
    }

    func write(_ path: String, _ text: String) throws {
        clock.advance()
        let absolute = root + "/" + path
        try fileSystem.createDirectory(String(absolute[..<absolute.lastIndex(of: "/")!]))
        try fileSystem.writeAtomically(absolute, Data(text.utf8))
    }

    func read(_ path: String) throws -> String {
        String(decoding: try fileSystem.read(root + "/" + path), as: UTF8.self)
    }

    /// Every file under `gen/` and the lock file, by project-relative path.
    func generatedFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        func walk(_ relative: String) throws {
            let absolute = root + "/" + relative
            guard let stat = fileSystem.stat(absolute) else { return }
            if stat.isDirectory {
                for name in try fileSystem.list(absolute) { try walk(relative + "/" + name) }
            } else {
                files[relative] = try fileSystem.read(absolute)
            }
        }
        try walk(OutputLayout.generated)
        files["lutbuild.lock"] = try fileSystem.read(root + "/lutbuild.lock")
        return files
    }

    /// Replaces `old` (which must occur) in the project file.
    func edit(_ old: String, _ new: String) throws {
        let text = try read("lutbuild.toml")
        guard text.contains(old) else { throw PipelineError("the project file has no '\(old)'") }
        try write("lutbuild.toml", text.replacingOccurrences(of: old, with: new))
    }

    /// What the recording simulator was asked to run, one line per run.
    let simulations = SimulationLog()

    /// Builds with training replaced by `training` (`untrained` unless a test
    /// says otherwise); without verify and the estimate, or with `full` with
    /// both (the simulator a recording fake).
    @discardableResult
    func build(
        retrain: Set<Int> = [], full: Bool = false, training: @escaping TrainStep.Action = MemoryPipeline.untrained
    ) async throws -> BuildSummary {
        let text = try read("lutbuild.toml")
        let config = try ProjectConfig.parse(text: text, path: ProjectConfig.fileName)
        let project = Project(directory: URL(fileURLWithPath: root), displayDirectory: "", config: config, text: text)
        let request = BuildRequest(retrainLayers: retrain, verify: full, simulator: .iverilog, estimate: full)
        let pipeline = BuildPipeline(
            project: project, request: request, fileSystem: fileSystem, clock: clock,
            training: training,
            tools: PipelineTools(simulate: simulations.simulate, countModule: simulations.countModule))
        clock.advance()
        return try await pipeline.build(concurrency: 2)
    }

    /// Stands in for a simulator (and yosys on the input encoder): records what it was asked to run and
    /// reports a result derived from every byte it was given, so verify's
    /// report changes whenever its RTL or testbench does (as a stale
    /// simulation would not).
    final class SimulationLog: Sendable {
        private let runs = Mutex<[String]>([])
        var entries: [String] { runs.withLock { $0 } }

        var simulate: VerificationSteps.Simulate {
            { [self] job in
                let files = job.rtl + job.testbench
                let digest = Digest.of(files.map { "\($0.name)\n" + String(decoding: $0.contents, as: UTF8.self) }.joined())
                runs.withLock { $0.append("\(job.simulator.rawValue): " + files.map(\.name).joined(separator: " ")) }
                return VerificationReport(
                    simulator: job.simulator, samples: 12, mismatches: 0,
                    cycles: Int(digest.hex.prefix(6), radix: 16)!, accuracy: nil,
                    compileSeconds: 0, runSeconds: 0, wallSeconds: 0)
            }
        }

        var countModule: EstimateStep.CountModule {
            { [self] verilog, module, family, _ in
                runs.withLock { $0.append("yosys \(family): \(module)") }
                let luts = Int(Digest.of(verilog).hex.prefix(3), radix: 16)!
                return MappedEstimate.ModuleCost(
                    luts: luts, lutsBySize: [0, 0, 0, 0, 0, luts], carryChains: 0, logicDepth: 1,
                    counter: "recording fake")
            }
        }
    }

    /// Stands in for training: initial weights, nudged by the job's key so
    /// that every run gives the partitions it trains new weights.
    @Sendable
    static func untrained(
        _ shared: TrainStep.Shared, _ members: [String: TrainStep.Member], _ context: StepContext
    ) async throws -> StepOutputs {
        let prepared = try context.read(CommonInputs.data)
        let spec = try TrainStep.networkSpec(shared, members, features: prepared.features, classes: prepared.classes)
        let network = TrainedNetwork.initial(spec: spec)
        let nudge = Float(UInt8(context.jobKey.hex.prefix(2), radix: 16)!) / 4096
        var outputs = try TrainStep.reports(TrainingLog(), context, prepared)
        for member in context.stale {
            if member == TrainStep.quantizersMember {
                var quantizers = network.quantizers
                quantizers.outputScales = quantizers.outputScales.map { $0 * (1 + nudge) }
                outputs[member] = Data(quantizers.encoded())
            } else if let id = TrainStep.partitionID(member) {
                var weights = network[id]
                weights.parameters = weights.parameters.map { $0 + nudge }
                outputs[member] = Data(weights.encoded())
            }
        }
        return outputs
    }
}
