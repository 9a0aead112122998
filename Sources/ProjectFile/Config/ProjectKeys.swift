import Datasets
import HDLNames
import NeuraLUT
import Packaging
import RemoteCacheAddress
import Synthesis
import TOMLKit

/// Every key of `lutbuild.toml`, section by section: the one table the schema
/// reads with, `--set` checks against, `init` writes defaults from and the
/// docs test compares docs/project-file.md with. Cross-key rules (a layer's
/// table size, `skip` against `depth`) live in `ProjectConfigRules`.
package enum ProjectKeys {
    // The network's own limits (NeuraLUT), so a value accepted here is one training accepts.
    static let bitsRange = NetworkSpec.codeBits
    // Upper bounds far beyond any real design, so arithmetic on them cannot overflow.
    static let partitionsRange = 1...1_000_000
    static let fanInRange = 1...1024
    static let skipRange = 0...1024
    static let epochsRange = 1...1_000_000
    package static let timeoutRange = 1...3600
    package static let cpusPerTaskRange = 1...4096
    package static let maxRunningRange = 1...100_000

    /// Every key as `section.key` (`model.layers[].key` for a layer's,
    /// `sweep.slurm.key`), each with its type, default and doc line; built
    /// once, as `--set` and `init` look keys up in it.
    package static let all: [(key: String, type: KeyType, defaultText: String, doc: String)] = {
        func rows<S>(_ table: KeyTable<S>) -> [(key: String, type: KeyType, defaultText: String, doc: String)] {
            table.keys.map { ("\(table.section).\($0.name)", $0.type, table.defaultText(of: $0), $0.doc) }
        }
        return rows(project) + rows(dataset) + rows(model) + rows(layer) + rows(train) + rows(rtl) + rows(hardware) + rows(fpga)
            + rows(cache) + rows(slurm)
    }()

    /// The key `path` names (`model.layers[2].bits` → `model.layers[].bits`), or nil.
    package static func entry(at path: ConfigKeyPath) -> (key: String, type: KeyType, defaultText: String, doc: String)? {
        let key = general(path)
        return all.first { $0.key == key }
    }

    /// `path` with its indices dropped, as the table names keys: `model.layers[2].bits` → `model.layers[].bits`.
    static func general(_ path: ConfigKeyPath) -> String {
        path.components.map { component -> String in
            switch component {
            case .key(let name): name
            case .index: "[]"
            }
        }
        .joined(separator: ".").replacingOccurrences(of: ".[]", with: "[]")
    }

    /// Every key's name, `section.key`.
    package static let names: Set<String> = Set(all.map(\.key))

    /// Whether a problem may be reported at `path`: a key of the table, a
    /// section, a layer (`model.layers[2]`) or the whole file.
    package static func isReportable(_ path: ConfigKeyPath) -> Bool {
        let key = general(path)
        return key.isEmpty || names.contains(key) || ProjectConfigSchema.sections.contains(key) || key == "sweep.slurm"
            || key == "model.layers[]"
    }

    /// The default of `key` as TOML (`1`, `"standard"`), when it is one literal.
    package static func defaultValue(of key: String) -> String? {
        guard let text = all.first(where: { $0.key == key })?.defaultText, text.hasPrefix("`"), text.hasSuffix("`"),
            text.dropFirst().dropLast().allSatisfy({ $0 != "`" })
        else { return nil }
        return String(text.dropFirst().dropLast())
    }

    /// The doc line of `key` (`model.width`).
    package static func doc(of key: String) -> String? { all.first { $0.key == key }?.doc }

    static var project: KeyTable<ProjectSection> {
        KeyTable(
            section: "project", defaults: ProjectSection(name: ""),
            keys: [
                .string(
                    "name", \.name, required: "the project's name, e.g. name = \"my_design\"",
                    doc: "project name; a Verilog identifier of at most 128 characters"),
                ProjectKey<ProjectSection>("top", .string, doc: "top-level Verilog module name", default: { _ in "`name`" }) {
                    r, table, path, section in
                    let top = r.string(table, "top", at: path)
                    section.top = top ?? section.name
                    return top != nil || table["top"] == nil
                },
                .string("vendor", \.vendor, doc: "IP-XACT vendor (VLNV)"),
                .string("library", \.library, doc: "IP-XACT library"),
                .string("version", \.version, doc: "IP-XACT version"),
                .string("description", \.description, doc: "one line of free text for generated headers and the IP"),
            ])
    }

    static var dataset: KeyTable<DatasetSection> {
        KeyTable(
            section: "dataset", defaults: DatasetSection(train: ""),
            keys: [
                .choice("format", \.format, doc: "file format"),
                .string(
                    "train", \.train, type: .path, required: "the training data file, e.g. train = \"data/train.csv\"",
                    doc: "training data: CSV file, IDX images file, or NPY features file"),
                .string("train_labels", \.trainLabels, type: .path, default: "—", doc: "labels of `train`"),
                .string("test", \.test, type: .path, default: "—", doc: "separate test data"),
                .string("test_labels", \.testLabels, type: .path, default: "—", doc: "labels of `test`"),
                ProjectKey<DatasetSection>(
                    "label", .described("string or integer"), doc: "CSV: the label column",
                    default: {
                        switch $0.label {
                        case .name(let name): "`\(KeyType.quoted(name))`"
                        case .index(let index): "`\(index)`"
                        }
                    }
                ) { r, table, path, section in
                    guard let value = table["label"] else { return true }
                    if let name = value.string {
                        section.label = .name(name)
                    } else if let index = value.int {
                        section.label = .index(index)
                    } else {
                        r.report(
                            path.appending("label"),
                            "expected a column name such as \"class\" or a 0-based column index such as -1 (the last column), found"
                                + " \(r.article(value.type))")
                        return false
                    }
                    return true
                },
                .boolean("header", \.header, doc: "CSV: the first line (after `skip_lines`) names the columns"),
                .integer("skip_lines", \.skipLines, in: 0...1_000_000, doc: "CSV: lines at the top that are neither header nor data"),
                .integer("label_offset", \.labelOffset, in: -1_000_000...1_000_000, doc: "subtracted from every label"),
                .integer("classes", \.classes, in: ClassCount.allowed, default: "largest label + 1", doc: "number of classes"),
                ProjectKey<DatasetSection>(
                    "class_names", .strings, doc: "a name per class in label order", default: { _ in "none (class numbers)" }
                ) { r, table, path, section in
                    guard table["class_names"] != nil else { return true }
                    section.classNames = ProjectConfigSchema.readClassNames(table, at: path, with: &r)
                    return section.classNames != nil
                },
                .number(
                    "test_fraction", \.testFraction, in: 0...1, closedAbove: false,
                    doc: "share of `train` held out as the test set when `test` is not given"),
                .number(
                    "validation_fraction", \.validationFraction, in: 0...1, closedAbove: false,
                    doc: "share of the training part held out for model selection"),
                .choice("normalize", \.normalize, doc: "`standard`: per-feature zero mean, unit variance"),
                .number(
                    "value_step", \.valueStep, in: DatasetSection.valueSteps, default: "unset",
                    doc: "raw feature values are floored to multiples of this step; the input thresholds lie on its multiples"),
                .integer("seed", \.seed, in: 0...Int.max, doc: "seeds the test and validation splits"),
            ])
    }

    static var model: KeyTable<ModelSection> {
        KeyTable(
            section: "model", defaults: ModelSection(),
            keys: [
                .integer("seed", \.seed, in: 0...Int.max, doc: "seeds connectivity and weight initialisation"),
                .integer("input_bits", \.inputBits, in: bitsRange, doc: "code width of each input feature"),
                .integer("bits", \.bits, in: bitsRange, doc: "output code width of hidden layers"),
                ProjectKey<ModelSection>(
                    "output_bits", .integer(bitsRange), doc: "output code width of the last layer", default: { _ in "`bits`" }
                ) { r, table, path, section in
                    let bits = r.int(table, "output_bits", at: path, in: bitsRange)
                    section.outputBits = bits ?? section.bits
                    return bits != nil || table["output_bits"] == nil
                },
                .integer("fan_in", \.fanIn, in: fanInRange, doc: "inputs per partition"),
                .integer("width", \.width, in: NetworkSpec.widths, doc: "N: hidden width of a partition's sub-network"),
                .integer(
                    "depth", \.depth, in: NetworkSpec.depths, doc: "L: linear layers in a partition's sub-network; 0: a learned table"),
                .integer("skip", \.skip, in: skipRange, doc: "S: a skip connection every S layers"),
                .integer(
                    "max_table_bits", \.maxTableBits, in: 1...NetworkSpec.maxTableAddressBits,
                    doc: "ceiling on a partition's table address bits F·β_in"),
                .number(
                    "min_input_activity", \.minInputActivity, in: 0...1, closedAbove: false,
                    doc: "the first layer's partitions connect only to input features"),
                .integer(
                    "image_width", \.imageWidth, in: TrainingConfig.imageWidthRange, default: "unset",
                    doc: "the input features are the pixels of images this many pixels wide"),
                .integer(
                    "image_channels", \.imageChannels, in: ImageGeometry.channelRange,
                    doc: "C: features per pixel, a pixel's C features side by side (colours, thermometer levels)"),
                .boolean(
                    "search_wiring", \.searchesWiring,
                    doc: "layer 0's wiring is searched by a training run that moves its inputs, before training"),
                .integer(
                    "partitions_per_class", \.partitionsPerClass, in: NetworkSpec.partitionsPerClassRange,
                    doc: "k: the last layer's partitions each class owns"),
                .integer(
                    "tie_breakers", \.tieBreakers, in: NetworkSpec.tieBreakersRange,
                    doc: "t: of each class's k partitions, the last t weigh half in its score"),
                ProjectKey<ModelSection>(
                    "layers", .described("array of tables"), doc: "one entry per layer, first to last",
                    required: "the layers, e.g. layers = [{ partitions = 32 }, { partitions = 10 }]", default: { _ in "required" }
                ) { r, table, path, section in
                    guard let value = table["layers"] else { return false }
                    guard let array = value.array else {
                        r.report(
                            path.appending("layers"),
                            "expected an array of tables such as [{ partitions = 32 }, { partitions = 10 }], found \(r.article(value.type))"
                        )
                        return false
                    }
                    section.layers = []
                    for (i, element) in array.enumerated() {
                        let layerPath = path.appending("layers").appending(index: i)
                        guard let layerTable = element.table else {
                            r.report(layerPath, "expected a table such as { partitions = 10 }, found \(r.article(element.type))")
                            continue
                        }
                        let parsed = layer.read(layerTable, at: layerPath, with: &r)
                        if parsed.complete { section.layers.append(parsed.value) }
                    }
                    return true
                },
            ])
    }

    static var layer: KeyTable<LayerConfig> {
        KeyTable(
            section: "model.layers[]", defaults: LayerConfig(partitions: 0),
            keys: [
                ProjectKey<LayerConfig>(
                    "partitions", .integer(partitionsRange), doc: "partitions", required: "the number of partitions in this layer",
                    default: { _ in "required" }
                ) { r, table, path, section in
                    guard let value = r.int(table, "partitions", at: path, in: partitionsRange) else { return false }
                    section.partitions = value
                    return true
                },
                .integer("fan_in", \.fanIn, in: fanInRange, default: "`model.fan_in`", doc: "this layer's fan-in"),
                .integer(
                    "bits", \.bits, in: bitsRange, default: "`model.bits` (`model.output_bits` for the last layer)",
                    doc: "this layer's output code width"),
                .integer(
                    "width", \.width, in: NetworkSpec.widths, default: "`model.width`", doc: "this layer's partition sub-network: its width"
                ),
                .integer(
                    "depth", \.depth, in: NetworkSpec.depths, default: "`model.depth`", doc: "this layer's partition sub-network: its depth"
                ),
                .integer("skip", \.skip, in: skipRange, default: "`model.skip`", doc: "this layer's partition sub-network: its skip"),
            ])
    }

    static var train: KeyTable<TrainSection> {
        KeyTable(
            section: "train", defaults: TrainSection(),
            keys: [
                .integer("epochs", \.epochs, in: epochsRange, doc: "training epochs"),
                .integer("batch", \.batch, in: TrainingConfig.minimumBatch...100_000_000, doc: "batch size"),
                .number("learning_rate", \.learningRate, in: 1e-12...10, doc: "AdamW learning rate"),
                .number("weight_decay", \.weightDecay, in: 0...10, doc: "AdamW weight decay"),
                .integer("restart_epochs", \.restartEpochs, in: epochsRange, doc: "epochs between warm restarts of the cosine schedule"),
                .choice("selection", \.selection, doc: "which epoch's model is kept"),
                .integer("calibration_rows", \.calibrationRows, in: 0...100_000_000, doc: "training rows"),
                .number("label_smoothing", \.labelSmoothing, in: 0...1, closedAbove: false, doc: "label smoothing ε"),
                .integer(
                    "augment_shift", \.augmentShift, in: TrainingConfig.augmentShiftRange, default: "unset",
                    doc: "data augmentation: training images shift by up to this many pixels"),
                .boolean(
                    "centre_inputs", \.centresInputs,
                    doc: "the input quantizer starts with each feature's mean on a code boundary"),
                .number(
                    "distillation", \.distillation, in: 0...1, closedAbove: false,
                    doc: "weight α of a float teacher's soft targets in the loss"),
            ])
    }

    static var rtl: KeyTable<RTLSection> {
        KeyTable(
            section: "rtl", defaults: RTLSection(),
            keys: [
                ProjectKey<RTLSection>(
                    "registers", .described("`\"every-layer\"`, `\"none\"` or integer ≥ 1"), doc: "register stages",
                    default: {
                        switch $0.registers {
                        case .everyLayer: "`\"every-layer\"`"
                        case .none: "`\"none\"`"
                        case .every(let k): "`\(k)`"
                        }
                    }
                ) { r, table, path, section in
                    guard let value = table["registers"] else { return true }
                    let expectation = "expected \"every-layer\", \"none\" or a number of layers per register stage (≥ 1)"
                    switch (value.string, value.int) {
                    case ("every-layer"?, _): section.registers = .everyLayer
                    case ("none"?, _): section.registers = .none
                    case (_, let n?) where n >= 1: section.registers = n == 1 ? .everyLayer : .every(n)
                    case (let s?, _): r.report(path.appending("registers"), "\(expectation), found \"\(s)\"")
                    case (_, let n?): r.report(path.appending("registers"), "\(expectation), found \(n)")
                    default: r.report(path.appending("registers"), "\(expectation), found \(r.article(value.type))")
                    }
                    return true
                },
                .boolean("argmax", \.argmax, doc: "add an `out_class` port with the index of the largest output"),
                .choice("tables", \.tables, doc: "how each partition's table is written"),
                .choice("primitives", \.primitives, doc: "with `mapped`"),
                .choice("interface", \.interface, doc: "the top module's ports"),
                .integer("tuser_bits", \.tuserBits, in: 0...StreamPorts.maximumUserBits, doc: "with `interface = \"axis\"`"),
                .boolean("input_encoder", \.inputEncoder, doc: "the input port"),
                ProjectKey<RTLSection>(
                    "input_format", .described("`\"auto\"` or `\"u<I>.<F>\"` / `\"s<I>.<F>\"`"), doc: "with `input_encoder`",
                    default: { "`\"\($0.inputFormat)\"`" }
                ) { r, table, path, section in
                    guard let text = r.string(table, "input_format", at: path) else { return table["input_format"] == nil }
                    guard text == RTLSection.automaticInputFormat || FixedPointFormat(parsing: text) != nil else {
                        r.report(path.appending("input_format"), "expected \(FixedPointFormat.spelling), found \"\(text)\"")
                        return false
                    }
                    section.inputFormat = text
                    return true
                },
            ])
    }

    static var hardware: KeyTable<HardwareSection> {
        KeyTable(
            section: "hardware", defaults: HardwareSection(),
            keys: [
                .choice("dont_care", \.dontCare, doc: "`none`"),
                .integer("dont_care_min_hits", \.dontCareMinHits, in: 1...1_000_000_000, doc: "with `unseen`"),
                .integer("dont_care_widen", \.dontCareWiden, in: 0...65535, doc: "with `unseen`"),
                .choice("mapper_effort", \.mapperEffort, doc: "how hard ABC minimises each table"),
            ])
    }

    static var fpga: KeyTable<FPGASection> {
        KeyTable(
            section: "fpga", defaults: FPGASection(),
            keys: [
                .string("part", \.part, doc: "Vivado part for synthesis"),
                .number("clock_mhz", \.clockMHz, in: 1...5000, doc: "target clock"),
                .strings(
                    "families", \.families,
                    default: "7-series (incl. Spartan-7, automotive and defence-grade), UltraScale, UltraScale+ (incl. HBM, 58G, RFSoC)"
                        + " and Versal: " + FPGASection.defaultFamilies.map { "`\($0)`" }.joined(separator: ", "),
                    expected: "a non-empty array of family names such as [\"virtexuplus\"]", doc: "IP-XACT supported families"),
                .choice(
                    "synthesis_strategy", \.synthesis.strategy,
                    doc: "Vivado synthesis settings of `build.tcl` and the FuseSoC `synth` target"),
                .boolean("retiming", \.synthesis.retiming, doc: "register retiming in synthesis"),
            ])
    }

    static var cache: KeyTable<CacheSection> {
        KeyTable(
            section: "cache", defaults: CacheSection(),
            keys: [
                ProjectKey<CacheSection>("remote", .string, doc: "base URL of a Bazel HTTP cache", default: { _ in "none" }) {
                    r, table, path, section in
                    guard let remote = r.string(table, "remote", at: path) else { return table["remote"] == nil }
                    section.remote = remote
                    guard !remote.isEmpty else { return true }
                    do throws(RemoteCacheEndpoint.Invalid) {
                        if try RemoteCacheLocation(parsing: remote).hasCredentials {
                            r.report(
                                path.appending("remote"),
                                "credentials do not belong in the project file, which is committed; put them in ~/.netrc or"
                                    + " \(RemoteCacheVariables.header)")
                        }
                    } catch {
                        r.report(path.appending("remote"), error.description)
                    }
                    return true
                },
                .integer("remote_timeout", \.remoteTimeout, in: timeoutRange, doc: "seconds a request may take"),
                ProjectKey<CacheSection>(
                    "mode", .choice(RemoteCacheMode.allCases.map(\.rawValue)),
                    doc: "whether builds, `watch` and `sweep` upload what they run or only read",
                    default: { _ in "`\"\(RemoteCacheMode.readWrite.rawValue)\"`" }
                ) { r, table, path, section in
                    guard let name = r.string(table, "mode", at: path) else { return table["mode"] == nil }
                    section.mode = RemoteCacheMode(named: name)
                    if section.mode == nil { r.report(path.appending("mode"), "expected \(RemoteCacheMode.names), found \"\(name)\"") }
                    return section.mode != nil
                },
                .string("tls_ca_file", \.tlsCAFile, type: .path, default: "none", doc: "PEM file"),
                .string(
                    "tls_client_certificate", \.tlsClientCertificate, type: .path, default: "none",
                    doc: "PEM client certificate"),
                ProjectKey<CacheSection>(
                    "tls_client_key", .path, doc: "the unencrypted key of `tls_client_certificate`", default: { _ in "none" }
                ) { r, table, path, section in
                    let key = r.string(table, "tls_client_key", at: path)
                    section.tlsClientKey = key
                    if (table["tls_client_certificate"] == nil) != (table["tls_client_key"] == nil) {
                        r.report(
                            path.appending(table["tls_client_certificate"] == nil ? "tls_client_key" : "tls_client_certificate"),
                            "a client certificate needs its key: expected both tls_client_certificate and tls_client_key, or neither")
                    }
                    return key != nil || table["tls_client_key"] == nil
                },
            ])
    }

    static var slurm: KeyTable<SlurmSettings> {
        KeyTable(
            section: "sweep.slurm", defaults: SlurmSettings(),
            keys: [
                .string("partition", \.partition, default: "Slurm's default", doc: "`sbatch --partition` of the tasks and the collector"),
                .string("account", \.account, default: "Slurm's default", doc: "`sbatch --account` of the tasks and the collector"),
                .string("time", \.time, default: "the partition's", doc: "time limit of one task, as Slurm writes it"),
                .integer("cpus_per_task", \.cpusPerTask, in: cpusPerTaskRange, default: "Slurm's default (1)", doc: "CPUs of one task"),
                .string("mem", \.mem, default: "Slurm's default", doc: "memory of one task, as Slurm writes it"),
                .strings(
                    "extra_args", \.extraArgs, allowsEmpty: true, expected: "an array of sbatch arguments such as [\"--qos=short\"]",
                    doc: "further `sbatch` arguments for the tasks, one word each"),
                .integer("max_running", \.maxRunning, in: maxRunningRange, doc: "tasks of the job array running at once"),
            ])
    }
}
