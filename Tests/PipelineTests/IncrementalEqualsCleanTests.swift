import BuildGraph
import Foundation
import NeuraLUT
import Synchronization
import Testing
@testable import Pipeline
@testable import ProjectFile

/// The build's central promise, for every key of `lutbuild.toml`: an edit
/// built incrementally gives exactly the bytes a clean build of the edited
/// file gives (`gen/` and `lutbuild.lock`). The table is checked against the
/// schema, so a new key cannot be left out. In memory, with training replaced
/// by untrained weights that depend on the training job's keys
/// (`MemoryPipeline.untrained`): a key that leaves out something its run
/// reads gives different bytes here, as the stale-quantizer bug did.
@Suite struct IncrementalEqualsCleanTests {
    /// One edit of the tiny project: TOML lines set in `section` (replacing
    /// the key where the file has it), files written first, and whether the
    /// edit retrains (nil: not pinned, the bytes are what is checked).
    struct Edit: CustomTestStringConvertible, Sendable {
        var key: String
        var section: String
        var lines: [String]
        var files: [String: String] = [:]
        var trains: Bool?
        /// Lines in other sections that the project has before the edit, for a key that needs
        /// another (`train.augment_shift` needs images), so the edit changes its own key alone.
        var needs: [String: [String]] = [:]
        var testDescription: String { key }
    }

    /// Keys the table does not edit, each with the reason.
    static let notEdited: [String: String] = [
        "dataset.format": "the only other formats (idx, npy) need binary data files; a change of format is a change of every data file",
        "dataset.train_labels": "read only with format = \"npy\" or \"idx\"",
        "dataset.test_labels": "read only with format = \"npy\" or \"idx\"",
    ]

    static let otherRows = MemoryPipeline.csv()

    static let edits: [Edit] = [
        Edit(key: "project.name", section: "project", lines: ["name = \"mini\""], trains: false),
        Edit(key: "project.top", section: "project", lines: ["top = \"small_top\""], trains: false),
        Edit(key: "project.vendor", section: "project", lines: ["vendor = \"acme.com\""], trains: false),
        Edit(key: "project.library", section: "project", lines: ["library = \"nn\""], trains: false),
        Edit(key: "project.version", section: "project", lines: ["version = \"2.0\""], trains: false),
        Edit(key: "project.description", section: "project", lines: ["description = \"jets\""], trains: false),
        Edit(
            key: "dataset.train", section: "dataset", lines: ["train = \"data/copy.csv\""],
            files: ["data/copy.csv": MemoryPipeline.csv()]),
        Edit(
            key: "dataset.test", section: "dataset", lines: ["test = \"data/test.csv\""],
            files: ["data/test.csv": MemoryPipeline.csv(rows: Array(MemoryPipeline.rows.prefix(12)))], trains: true),
        Edit(key: "dataset.label", section: "dataset", lines: ["label = 4"]),
        Edit(
            key: "dataset.header", section: "dataset", lines: ["header = false", "label = -1"],
            files: ["data/train.csv": String(MemoryPipeline.csv().drop { $0 != "\n" }.dropFirst())]),
        Edit(
            key: "dataset.skip_lines", section: "dataset", lines: ["skip_lines = 1"],
            files: ["data/train.csv": "exported by a test\n" + MemoryPipeline.csv()]),
        Edit(
            key: "dataset.label_offset", section: "dataset", lines: ["label_offset = 1"],
            files: ["data/train.csv": MemoryPipeline.csv(labelOffset: 1)]),
        Edit(key: "dataset.classes", section: "dataset", lines: ["classes = 3"]),
        Edit(
            key: "dataset.class_names", section: "dataset", lines: ["class_names = [\"setosa\", \"versicolor\", \"virginica\"]"],
            trains: false),
        Edit(key: "dataset.test_fraction", section: "dataset", lines: ["test_fraction = 0.3"], trains: true),
        Edit(key: "dataset.validation_fraction", section: "dataset", lines: ["validation_fraction = 0.2"], trains: true),
        Edit(key: "dataset.normalize", section: "dataset", lines: ["normalize = \"none\""], trains: true),
        Edit(key: "dataset.seed", section: "dataset", lines: ["seed = 2"], trains: true),
        Edit(key: "dataset.value_step", section: "dataset", lines: ["value_step = 0.5"], trains: true),
        Edit(key: "model.seed", section: "model", lines: ["seed = 2"], trains: true),
        Edit(key: "model.input_bits", section: "model", lines: ["input_bits = 3"], trains: true),
        Edit(key: "model.bits", section: "model", lines: ["bits = 1"], trains: true),
        Edit(key: "model.output_bits", section: "model", lines: ["output_bits = 1"], trains: true),
        Edit(key: "model.fan_in", section: "model", lines: ["fan_in = 3"], trains: true),
        Edit(key: "model.width", section: "model", lines: ["width = 6"], trains: true),
        Edit(key: "model.depth", section: "model", lines: ["depth = 3"], trains: true),
        Edit(key: "model.skip", section: "model", lines: ["skip = 1"], trains: true),
        Edit(key: "model.max_table_bits", section: "model", lines: ["max_table_bits = 18"]),
        Edit(key: "model.min_input_activity", section: "model", lines: ["min_input_activity = 0.5"]),
        Edit(key: "model.image_width", section: "model", lines: ["image_width = 2"], trains: true),
        // Two pixels a row of two channels each: the same 4 features, placed differently.
        Edit(
            key: "model.image_channels", section: "model", lines: ["image_channels = 2"], trains: true,
            needs: ["model": ["image_width = 2"]]),
        // The last layer must grow with it (classes × k), as `rtl.tuser_bits` brings its interface along.
        Edit(
            key: "model.partitions_per_class", section: "model",
            lines: ["partitions_per_class = 2", "layers = [{ partitions = 4 }, { partitions = 6 }]"], trains: true),
        Edit(
            key: "model.tie_breakers", section: "model", lines: ["tie_breakers = 1"], trains: true,
            needs: ["model": ["partitions_per_class = 2", "layers = [{ partitions = 4 }, { partitions = 6 }]"]]),
        Edit(
            key: "model.layers", section: "model", lines: ["layers = [{ partitions = 4 }, { partitions = 4 }, { partitions = 3 }]"],
            trains: true),
        Edit(key: "model.layers[].partitions", section: "layer0", lines: ["partitions = 5"], trains: true),
        Edit(key: "model.layers[].fan_in", section: "layer0", lines: ["fan_in = 3"], trains: true),
        Edit(key: "model.layers[].bits", section: "layer0", lines: ["bits = 1"], trains: true),
        Edit(key: "model.layers[].width", section: "layer0", lines: ["width = 6"], trains: true),
        Edit(key: "model.layers[].depth", section: "layer0", lines: ["depth = 3"], trains: true),
        Edit(key: "model.layers[].skip", section: "layer0", lines: ["skip = 1"], trains: true),
        Edit(key: "train.epochs", section: "train", lines: ["epochs = 4"], trains: true),
        Edit(key: "train.batch", section: "train", lines: ["batch = 16"], trains: true),
        Edit(key: "train.learning_rate", section: "train", lines: ["learning_rate = 0.01"], trains: true),
        Edit(key: "train.weight_decay", section: "train", lines: ["weight_decay = 0.001"], trains: true),
        Edit(key: "train.restart_epochs", section: "train", lines: ["restart_epochs = 2"], trains: true),
        Edit(key: "train.selection", section: "train", lines: ["selection = \"last-epoch\""], trains: true),
        Edit(key: "train.calibration_rows", section: "train", lines: ["calibration_rows = 16"], trains: true),
        Edit(key: "train.label_smoothing", section: "train", lines: ["label_smoothing = 0.1"], trains: true),
        Edit(
            key: "train.augment_shift", section: "train", lines: ["augment_shift = 1"], trains: true,
            needs: ["model": ["image_width = 2"]]),
        Edit(key: "train.centre_inputs", section: "train", lines: ["centre_inputs = true"], trains: true),
        Edit(key: "train.distillation", section: "train", lines: ["distillation = 0.5"], trains: true),
        // Trains only if the search moves an input, which on 2 × 2 images it may not
        // (WiringSearchTests moves inputs; PipelineKeyTests keys the search).
        Edit(
            key: "model.search_wiring", section: "model", lines: ["search_wiring = true"], trains: nil,
            needs: ["model": ["image_width = 2"]]),
        Edit(key: "rtl.registers", section: "rtl", lines: ["registers = \"none\""], trains: false),
        Edit(key: "rtl.argmax", section: "rtl", lines: ["argmax = false"], trains: false),
        Edit(key: "rtl.tables", section: "rtl", lines: ["tables = \"case-rom\""], trains: false),
        Edit(key: "rtl.primitives", section: "rtl", lines: ["primitives = \"xilinx\""], trains: false),
        Edit(key: "rtl.interface", section: "rtl", lines: ["interface = \"axis\""], trains: false),
        Edit(key: "rtl.tuser_bits", section: "rtl", lines: ["interface = \"axis\"", "tuser_bits = 8"], trains: false),
        Edit(key: "rtl.input_encoder", section: "rtl", lines: ["input_encoder = true"], trains: false),
        Edit(key: "rtl.input_format", section: "rtl", lines: ["input_encoder = true", "input_format = \"s4.4\""], trains: false),
        Edit(key: "hardware.dont_care", section: "hardware", lines: ["dont_care = \"unseen\""], trains: false),
        Edit(
            key: "hardware.dont_care_min_hits", section: "hardware", lines: ["dont_care = \"unseen\"", "dont_care_min_hits = 2"],
            trains: false),
        Edit(
            key: "hardware.dont_care_widen", section: "hardware", lines: ["dont_care = \"unseen\"", "dont_care_widen = 1"],
            trains: false),
        Edit(key: "hardware.mapper_effort", section: "hardware", lines: ["mapper_effort = \"fast\""], trains: false),
        Edit(key: "fpga.part", section: "fpga", lines: ["part = \"xcvu13p-fhga2104-2-e\""], trains: false),
        Edit(key: "fpga.clock_mhz", section: "fpga", lines: ["clock_mhz = 250"], trains: false),
        Edit(key: "fpga.families", section: "fpga", lines: ["families = [\"virtexuplus\", \"kintexuplus\"]"], trains: false),
        Edit(
            key: "fpga.synthesis_strategy", section: "fpga", lines: ["synthesis_strategy = \"Flow_PerfOptimized_high\""],
            trains: false),
        Edit(key: "fpga.retiming", section: "fpga", lines: ["retiming = true"], trains: false),
        Edit(key: "cache.remote", section: "cache", lines: ["remote = \"\""], trains: false),
        Edit(key: "cache.remote_timeout", section: "cache", lines: ["remote_timeout = 5"], trains: false),
        Edit(key: "cache.mode", section: "cache", lines: ["mode = \"read-only\""], trains: false),
        Edit(
            key: "cache.tls_ca_file", section: "cache", lines: ["tls_ca_file = \"certs/ca.pem\""],
            files: ["certs/ca.pem": "not read without an https cache\n"], trains: false),
        Edit(
            key: "cache.tls_client_certificate", section: "cache",
            lines: ["tls_client_certificate = \"certs/client.pem\"", "tls_client_key = \"certs/client.key\""],
            files: ["certs/client.pem": "-\n", "certs/client.key": "-\n"], trains: false),
        Edit(
            key: "cache.tls_client_key", section: "cache",
            lines: ["tls_client_key = \"certs/other.key\"", "tls_client_certificate = \"certs/client.pem\""],
            files: ["certs/client.pem": "-\n", "certs/other.key": "-\n"], trains: false),
        // Where a sweep's points run (Slurm) changes nothing that is built.
        Edit(key: "sweep.slurm.partition", section: "sweep.slurm", lines: ["partition = \"short\""], trains: false),
        Edit(key: "sweep.slurm.account", section: "sweep.slurm", lines: ["account = \"lab\""], trains: false),
        Edit(key: "sweep.slurm.time", section: "sweep.slurm", lines: ["time = \"1:00:00\""], trains: false),
        Edit(key: "sweep.slurm.cpus_per_task", section: "sweep.slurm", lines: ["cpus_per_task = 4"], trains: false),
        Edit(key: "sweep.slurm.mem", section: "sweep.slurm", lines: ["mem = \"8G\""], trains: false),
        Edit(key: "sweep.slurm.extra_args", section: "sweep.slurm", lines: ["extra_args = [\"--qos=short\"]"], trains: false),
        Edit(key: "sweep.slurm.max_running", section: "sweep.slurm", lines: ["max_running = 2"], trains: false),
    ]

    /// Every key the schema knows, as `section.key` (layer keys as `model.layers[].key`).
    static var schemaKeys: Set<String> { ProjectConfigSchema.allKeys }

    @Test func everyKeyOfTheSchemaIsEditedOrExcusedByName() {
        let covered = Set(Self.edits.map(\.key)).union(Self.notEdited.keys)
        #expect(Self.schemaKeys.subtracting(covered).sorted() == [], "keys without an edit in this table")
        #expect(covered.subtracting(Self.schemaKeys).sorted() == [], "edits of keys the schema does not know")
        #expect(Set(Self.edits.map(\.key)).count == Self.edits.count, "one edit per key")
    }

    @Test(arguments: edits)
    func anIncrementalBuildEqualsACleanBuild(_ edit: Edit) async throws {
        // What the key needs is in the project before the edit, so the edit changes that key alone.
        var base = MemoryPipeline.config
        for (section, lines) in edit.needs.sorted(by: { $0.key < $1.key }) {
            base = try Self.apply(Edit(key: edit.key, section: section, lines: lines), to: base)
        }
        let incremental = try MemoryPipeline()
        try incremental.write("lutbuild.toml", base)
        try await incremental.build(full: true)
        let edited = try Self.apply(edit, to: base)
        for (path, text) in edit.files.sorted(by: { $0.key < $1.key }) { try incremental.write(path, text) }
        try incremental.write("lutbuild.toml", edited)
        let summary = try await incremental.build(full: true)
        #expect(try await incremental.build(full: true).ran == [], "a second build after the edit runs nothing")

        let clean = try MemoryPipeline()
        for (path, text) in edit.files.sorted(by: { $0.key < $1.key }) { try clean.write(path, text) }
        try clean.write("lutbuild.toml", edited)
        try await clean.build(full: true)
        // Verify and the estimate are part of both builds (the simulator a recording fake that ran once in the clean build).
        #expect(clean.simulations.entries.filter { $0.hasPrefix("iverilog:") }.count == 1, "\(edit.key): \(clean.simulations.entries)")

        let expected = try clean.generatedFiles()
        #expect(expected[OutputLayout.Report.verify] != nil && expected[OutputLayout.Report.estimateJSON] != nil)
        #expect(try Self.filesDiffering(incremental, from: clean) == [], "\(edit.key): these files differ from a clean build's")
        if let trains = edit.trains {
            #expect(summary.ran.contains { $0.hasPrefix(TrainStep.id + "/") } == trains, "\(edit.key): ran \(summary.ran.sorted())")
        }
    }

    /// The check shown to fail once: a training run that reads a value by a
    /// road other than its key (a factor the test changes between builds, as
    /// the quantizer's settings once reached a batch member unkeyed) leaves
    /// the incremental build stale, and the comparison with a clean build
    /// finds it, in the tables and everything made from them.
    @Test func aRunReadingOutsideItsKeyFailsTheComparison() async throws {
        final class Leak: Sendable { let factor = Mutex<Float>(1) }
        let leak = Leak()
        let training: TrainStep.Action = { shared, members, context in
            var outputs = try await MemoryPipeline.untrained(shared, members, context)
            if let bytes = outputs[TrainStep.quantizersMember] {
                var quantizers = try QuantizerParameters(decoding: [UInt8](bytes))
                let factor = leak.factor.withLock { $0 }
                quantizers.outputScales = quantizers.outputScales.map { $0 * factor }
                outputs[TrainStep.quantizersMember] = Data(quantizers.encoded())
            }
            return outputs
        }
        let incremental = try MemoryPipeline()
        try await incremental.build(full: true, training: training)
        leak.factor.withLock { $0 = 3 }
        #expect(try await incremental.build(full: true, training: training).ran == [], "the keys did not change")

        let clean = try MemoryPipeline()
        try await clean.build(full: true, training: training)
        let differing = try Self.filesDiffering(incremental, from: clean)
        #expect(differing.contains(OutputLayout.Report.estimateJSON), "\(differing)")
        #expect(differing.contains("lutbuild.lock"), "\(differing)")
    }

    /// The generated files (and the lock file) of `built` whose bytes differ
    /// from `clean`'s, or that only one of the two has.
    static func filesDiffering(_ built: MemoryPipeline, from clean: MemoryPipeline) throws -> [String] {
        let built = try built.generatedFiles(), expected = try clean.generatedFiles()
        return Set(built.keys).union(expected.keys).sorted().filter { built[$0] != expected[$0] }
    }

    /// `edit`'s lines set in the project file: a key the section has is replaced, others are added
    /// (section `layer0` is the first layer's inline table).
    static func apply(_ edit: Edit, to text: String) throws -> String {
        if edit.section == "layer0" {
            let settings = edit.lines.joined(separator: ", ")
            let layer = settings.hasPrefix("partitions") ? "{ \(settings) }" : "{ partitions = 4, \(settings) }"
            return text.replacingOccurrences(of: "{ partitions = 4 }", with: layer)
        }
        var lines = text.components(separatedBy: "\n")
        if !lines.contains("[\(edit.section)]") { lines += ["[\(edit.section)]"] }
        for setting in edit.lines {
            let key = String(setting.prefix { $0 != " " })
            let header = lines.firstIndex(of: "[\(edit.section)]")!
            let end = lines[(header + 1)...].firstIndex { $0.hasPrefix("[") && !$0.hasPrefix("[{") } ?? lines.count
            if let existing = lines[(header + 1)..<end].firstIndex(where: { $0.hasPrefix(key + " =") }) {
                // A multi-line array value (`layers = [` … `]`) is replaced whole.
                var last = existing
                if lines[existing].hasSuffix("[") { last = lines[existing...].firstIndex(of: "]")! }
                lines.replaceSubrange(existing...last, with: [setting])
            } else {
                lines.insert(setting, at: header + 1)
            }
        }
        return lines.joined(separator: "\n")
    }
}
