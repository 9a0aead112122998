import HDLNames
import Datasets
import NeuraLUT
import Packaging
import Synthesis
import TOMLKit

/// The key-by-key mapping from TOML to `ProjectConfig`: known keys, types,
/// per-key ranges and defaults. Cross-key rules live in `ProjectConfigRules`.
package enum ProjectConfigSchema {
    static let sections = ["project", "dataset", "model", "train", "rtl", "hardware", "fpga", "cache", "sweep"]
    static let projectKeys = ["name", "top", "vendor", "library", "version", "description"]
    static let datasetKeys = [
        "format", "train", "train_labels", "test", "test_labels", "label", "header", "skip_lines", "label_offset", "classes", "class_names",
        "test_fraction", "validation_fraction", "normalize", "seed",
    ]
    static let modelKeys = [
        "seed", "input_bits", "bits", "output_bits", "fan_in", "width", "depth", "skip", "max_table_bits", "min_input_activity",
        "image_width", "layers",
    ]
    static let layerKeys = ["partitions", "fan_in", "bits", "width", "depth", "skip"]
    static let trainKeys = [
        "epochs", "batch", "learning_rate", "weight_decay", "restart_epochs", "selection", "calibration_rows", "label_smoothing",
    ]
    static let rtlKeys = ["registers", "argmax", "tables", "primitives", "interface", "tuser_bits", "input_encoder", "input_format"]
    static let hardwareKeys = ["dont_care", "dont_care_min_hits", "dont_care_widen", "mapper_effort"]
    static let fpgaKeys = ["part", "clock_mhz", "families", "synthesis_strategy", "retiming"]

    /// Every key the schema reads, as `section.key` (`model.layers[].key` for
    /// a layer's, `sweep.slurm.key`): the one list the key table test and the
    /// docs test check against.
    package static var allKeys: Set<String> {
        let bySection: [(String, [String])] = [
            ("project", projectKeys), ("dataset", datasetKeys), ("model", modelKeys), ("train", trainKeys), ("rtl", rtlKeys),
            ("hardware", hardwareKeys), ("fpga", fpgaKeys), ("cache", cacheKeys), ("sweep.slurm", slurmKeys),
        ]
        var keys = Set(layerKeys.map { "model.layers[].\($0)" })
        for (section, names) in bySection { keys.formUnion(names.map { "\(section).\($0)" }) }
        return keys
    }

    // The network's own limits (NeuraLUT), so a value accepted here is one training accepts.
    static let bitsRange = NetworkSpec.codeBits
    // Upper bounds far beyond any real design, so arithmetic on them cannot overflow.
    static let partitionsRange = 1...1_000_000
    static let fanInRange = 1...1024
    static let widthRange = NetworkSpec.widths
    static let depthRange = NetworkSpec.depths
    static let skipRange = 0...1024
    static let epochsRange = 1...1_000_000
    static let batchRange = TrainingConfig.minimumBatch...100_000_000
    static let minHitsRange = 1...1_000_000_000
    static let widenRange = 0...65535

    /// The config, or nil when a required key is missing (reported).
    package static func read(_ root: TOMLTable, with r: inout TOMLReader) -> ProjectConfig? {
        let top = ConfigKeyPath()
        r.checkKeys(of: root, at: top, known: sections, what: "section")
        for key in sections where root[key] != nil && root[key]?.table == nil {
            r.report(top.appending(key), "expected a [\(key)] table, found \(r.article(root[key]!.type))")
        }
        let project = readProject(root["project"]?.table, present: root["project"] != nil, with: &r)
        let dataset = readDataset(root["dataset"]?.table, present: root["dataset"] != nil, with: &r)
        let model = readModel(root["model"]?.table ?? TOMLTable(), with: &r)
        let train = readTrain(root["train"]?.table ?? TOMLTable(), with: &r)
        let rtl = readRTL(root["rtl"]?.table ?? TOMLTable(), with: &r)
        let hardware = readHardware(root["hardware"]?.table ?? TOMLTable(), with: &r)
        let fpga = readFPGA(root["fpga"]?.table ?? TOMLTable(), with: &r)
        let cache = readCache(root["cache"]?.table ?? TOMLTable(), with: &r)
        let sweep = readSweep(root["sweep"]?.table ?? TOMLTable(), with: &r)
        guard let project, let dataset else { return nil }
        return ProjectConfig(
            project: project, dataset: dataset, model: model, train: train, rtl: rtl, hardware: hardware, fpga: fpga,
            cache: cache, sweep: sweep)
    }

    static func readProject(_ table: TOMLTable?, present: Bool, with r: inout TOMLReader) -> ProjectSection? {
        let path = ConfigKeyPath().appending("project")
        guard let table else {
            if !present { r.report(path, "missing [project] section; expected at least name = \"my_design\"") }
            return nil
        }
        r.checkKeys(of: table, at: path, known: projectKeys)
        let name = r.string(table, "name", at: path)
        if table["name"] == nil { r.report(path.appending("name"), "missing; expected the project's name, e.g. name = \"my_design\"") }
        let defaults = ProjectSection(name: "")
        guard let name else { return nil }
        return ProjectSection(
            name: name,
            top: r.string(table, "top", at: path),
            vendor: r.string(table, "vendor", at: path) ?? defaults.vendor,
            library: r.string(table, "library", at: path) ?? defaults.library,
            version: r.string(table, "version", at: path) ?? defaults.version,
            description: r.string(table, "description", at: path) ?? defaults.description)
    }

    static func readDataset(_ table: TOMLTable?, present: Bool, with r: inout TOMLReader) -> DatasetSection? {
        let path = ConfigKeyPath().appending("dataset")
        guard let table else {
            if !present { r.report(path, "missing [dataset] section; expected at least train = \"data/….csv\"") }
            return nil
        }
        r.checkKeys(of: table, at: path, known: datasetKeys)
        let train = r.string(table, "train", at: path)
        if table["train"] == nil {
            r.report(path.appending("train"), "missing; expected the training data file, e.g. train = \"data/train.csv\"")
        }
        let d = DatasetSection(train: "")
        guard let train else { return nil }
        return DatasetSection(
            format: r.choice(table, "format", at: path, as: DatasetFormat.self) ?? d.format,
            train: train,
            trainLabels: r.string(table, "train_labels", at: path),
            test: r.string(table, "test", at: path),
            testLabels: r.string(table, "test_labels", at: path),
            label: readLabelColumn(table, at: path, with: &r) ?? d.label,
            header: r.bool(table, "header", at: path) ?? d.header,
            skipLines: r.int(table, "skip_lines", at: path, in: 0...1_000_000) ?? d.skipLines,
            labelOffset: r.int(table, "label_offset", at: path, in: -1_000_000...1_000_000) ?? d.labelOffset,
            classes: r.int(table, "classes", at: path, in: ClassCount.allowed),
            classNames: readClassNames(table, at: path, with: &r),
            testFraction: r.double(table, "test_fraction", at: path, in: 0...1, closedAbove: false) ?? d.testFraction,
            validationFraction: r.double(table, "validation_fraction", at: path, in: 0...1, closedAbove: false) ?? d.validationFraction,
            normalize: r.choice(table, "normalize", at: path, as: NormalizationKind.self) ?? d.normalize,
            seed: r.int(table, "seed", at: path, in: 0...Int.max).map(UInt64.init) ?? d.seed)
    }

    /// `class_names = ["benign", "malignant"]`: one line of text each, distinct.
    static func readClassNames(_ table: TOMLTable, at path: ConfigKeyPath, with r: inout TOMLReader) -> [String]? {
        guard let value = table["class_names"] else { return nil }
        guard let array = value.array, !array.isEmpty, array.allSatisfy({ $0.string != nil }) else {
            r.report(path.appending("class_names"), "expected a non-empty array of names in label order, e.g. [\"benign\", \"malignant\"]")
            return nil
        }
        let names = array.compactMap(\.string)
        if let bad = names.first(where: { $0.isEmpty || !Identifiers.isSingleLineText($0) }) {
            r.report(path.appending("class_names"), "expected names of one line of text each, found \(String(reflecting: bad))")
            return nil
        }
        if Set(names).count != names.count {
            r.report(path.appending("class_names"), "a name appears more than once; expected one distinct name per class")
            return nil
        }
        return names
    }

    /// `label = "name"` or `label = 3` (a column index, -1 for the last).
    static func readLabelColumn(_ table: TOMLTable, at path: ConfigKeyPath, with r: inout TOMLReader) -> LabelColumn? {
        guard let value = table["label"] else { return nil }
        if let name = value.string { return .name(name) }
        if let index = value.int { return .index(index) }
        r.report(
            path.appending("label"),
            "expected a column name such as \"class\" or a 0-based column index such as -1 (the last column), found"
                + " \(r.article(value.type))"
        )
        return nil
    }

    static func readModel(_ table: TOMLTable, with r: inout TOMLReader) -> ModelSection {
        let path = ConfigKeyPath().appending("model")
        r.checkKeys(of: table, at: path, known: modelKeys)
        let d = ModelSection()
        let bits = r.int(table, "bits", at: path, in: bitsRange) ?? d.bits
        var layers: [LayerConfig] = []
        if let value = table["layers"] {
            if let array = value.array {
                for (i, element) in array.enumerated() {
                    let layerPath = path.appending("layers").appending(index: i)
                    guard let layer = element.table else {
                        r.report(layerPath, "expected a table such as { partitions = 10 }, found \(r.article(element.type))")
                        continue
                    }
                    if let parsed = readLayer(layer, at: layerPath, with: &r) { layers.append(parsed) }
                }
            } else {
                r.report(
                    path.appending("layers"),
                    "expected an array of tables such as [{ partitions = 32 }, { partitions = 10 }], found \(r.article(value.type))")
            }
        } else {
            r.report(path.appending("layers"), "missing; expected the layers, e.g. layers = [{ partitions = 32 }, { partitions = 10 }]")
        }
        return ModelSection(
            seed: r.int(table, "seed", at: path, in: 0...Int.max).map(UInt64.init) ?? d.seed,
            inputBits: r.int(table, "input_bits", at: path, in: bitsRange) ?? d.inputBits,
            bits: bits,
            outputBits: r.int(table, "output_bits", at: path, in: bitsRange) ?? bits,
            fanIn: r.int(table, "fan_in", at: path, in: fanInRange) ?? d.fanIn,
            width: r.int(table, "width", at: path, in: widthRange) ?? d.width,
            depth: r.int(table, "depth", at: path, in: depthRange) ?? d.depth,
            skip: r.int(table, "skip", at: path, in: skipRange) ?? d.skip,
            maxTableBits: r.int(table, "max_table_bits", at: path, in: 1...NetworkSpec.maxTableAddressBits) ?? d.maxTableBits,
            minInputActivity: r.double(table, "min_input_activity", at: path, in: 0...1, closedAbove: false) ?? d.minInputActivity,
            imageWidth: r.int(table, "image_width", at: path, in: TrainingConfig.imageWidthRange),
            layers: layers)
    }

    static func readLayer(_ table: TOMLTable, at path: ConfigKeyPath, with r: inout TOMLReader) -> LayerConfig? {
        r.checkKeys(of: table, at: path, known: layerKeys)
        let partitions = r.int(table, "partitions", at: path, in: partitionsRange)
        if table["partitions"] == nil { r.report(path.appending("partitions"), "missing; expected the number of partitions in this layer") }
        guard let partitions else { return nil }
        return LayerConfig(
            partitions: partitions,
            fanIn: r.int(table, "fan_in", at: path, in: fanInRange),
            bits: r.int(table, "bits", at: path, in: bitsRange),
            width: r.int(table, "width", at: path, in: widthRange),
            depth: r.int(table, "depth", at: path, in: depthRange),
            skip: r.int(table, "skip", at: path, in: skipRange))
    }

    static func readTrain(_ table: TOMLTable, with r: inout TOMLReader) -> TrainSection {
        let path = ConfigKeyPath().appending("train")
        r.checkKeys(of: table, at: path, known: trainKeys)
        let d = TrainSection()
        return TrainSection(
            epochs: r.int(table, "epochs", at: path, in: epochsRange) ?? d.epochs,
            batch: r.int(table, "batch", at: path, in: batchRange) ?? d.batch,
            learningRate: r.double(table, "learning_rate", at: path, in: 1e-12...10) ?? d.learningRate,
            weightDecay: r.double(table, "weight_decay", at: path, in: 0...10) ?? d.weightDecay,
            restartEpochs: r.int(table, "restart_epochs", at: path, in: epochsRange) ?? d.restartEpochs,
            selection: r.choice(table, "selection", at: path, as: ModelSelection.self) ?? d.selection,
            calibrationRows: r.int(table, "calibration_rows", at: path, in: 0...100_000_000) ?? d.calibrationRows,
            labelSmoothing: r.double(table, "label_smoothing", at: path, in: 0...1, closedAbove: false) ?? d.labelSmoothing)
    }

    static func readRTL(_ table: TOMLTable, with r: inout TOMLReader) -> RTLSection {
        let path = ConfigKeyPath().appending("rtl")
        r.checkKeys(of: table, at: path, known: rtlKeys)
        let d = RTLSection()
        var registers = d.registers
        if let value = table["registers"] {
            let expectation = "expected \"every-layer\", \"none\" or a number of layers per register stage (≥ 1)"
            switch (value.string, value.int) {
            case ("every-layer"?, _): registers = .everyLayer
            case ("none"?, _): registers = .none
            case (_, let n?) where n >= 1: registers = n == 1 ? .everyLayer : .every(n)
            case (let s?, _): r.report(path.appending("registers"), "\(expectation), found \"\(s)\"")
            case (_, let n?): r.report(path.appending("registers"), "\(expectation), found \(n)")
            default: r.report(path.appending("registers"), "\(expectation), found \(r.article(value.type))")
            }
        }
        var inputFormat = d.inputFormat
        if let text = r.string(table, "input_format", at: path) {
            if text == RTLSection.automaticInputFormat || FixedPointFormat(parsing: text) != nil {
                inputFormat = text
            } else {
                r.report(path.appending("input_format"), "expected \(FixedPointFormat.spelling), found \"\(text)\"")
            }
        }
        return RTLSection(
            registers: registers, argmax: r.bool(table, "argmax", at: path) ?? d.argmax,
            tables: r.choice(table, "tables", at: path, as: TableLogic.self) ?? d.tables,
            primitives: r.choice(table, "primitives", at: path, as: LUTPrimitives.self) ?? d.primitives,
            interface: r.choice(table, "interface", at: path, as: StreamInterface.self) ?? d.interface,
            tuserBits: r.int(table, "tuser_bits", at: path, in: 0...StreamPorts.maximumUserBits) ?? d.tuserBits,
            inputEncoder: r.bool(table, "input_encoder", at: path) ?? d.inputEncoder,
            inputFormat: inputFormat)
    }

    static func readHardware(_ table: TOMLTable, with r: inout TOMLReader) -> HardwareSection {
        let path = ConfigKeyPath().appending("hardware")
        r.checkKeys(of: table, at: path, known: hardwareKeys)
        let d = HardwareSection()
        return HardwareSection(
            dontCare: r.choice(table, "dont_care", at: path, as: DontCareMode.self) ?? d.dontCare,
            dontCareMinHits: r.int(table, "dont_care_min_hits", at: path, in: minHitsRange) ?? d.dontCareMinHits,
            dontCareWiden: r.int(table, "dont_care_widen", at: path, in: widenRange) ?? d.dontCareWiden,
            mapperEffort: r.choice(table, "mapper_effort", at: path, as: MapperSettings.Effort.self) ?? d.mapperEffort)
    }

    static func readFPGA(_ table: TOMLTable, with r: inout TOMLReader) -> FPGASection {
        let path = ConfigKeyPath().appending("fpga")
        r.checkKeys(of: table, at: path, known: fpgaKeys)
        let d = FPGASection()
        var families = d.families
        if let value = table["families"] {
            if let array = value.array, array.allSatisfy({ $0.string != nil }), !array.isEmpty {
                families = array.compactMap(\.string)
            } else {
                r.report(path.appending("families"), "expected a non-empty array of family names such as [\"virtexuplus\"]")
            }
        }
        return FPGASection(
            part: r.string(table, "part", at: path) ?? d.part,
            clockMHz: r.double(table, "clock_mhz", at: path, in: 1...5000) ?? d.clockMHz,
            families: families,
            synthesis: SynthesisSettings(
                strategy: r.choice(table, "synthesis_strategy", at: path, as: SynthesisSettings.Strategy.self) ?? d.synthesis.strategy,
                retiming: r.bool(table, "retiming", at: path) ?? d.synthesis.retiming))
    }
}
