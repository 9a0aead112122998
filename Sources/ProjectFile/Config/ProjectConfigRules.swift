import Datasets
import Diagnostics
import Foundation
import HDLNames
import NeuraLUT

/// Rules that relate several keys (or the file system) to each other; each
/// broken rule becomes one diagnostic on the key a user would edit.
package enum ProjectConfigRules {
    package static func check(_ config: ProjectConfig, with r: inout TOMLReader, projectDirectory: URL?) {
        checkNames(config.project, with: &r)
        checkFPGA(config.fpga, with: &r)
        checkLayers(config.model, with: &r)
        checkDataset(config.dataset, with: &r, projectDirectory: projectDirectory)
        if let projectDirectory { ProjectConfigSchema.checkCacheFiles(config.cache, with: &r, projectDirectory: projectDirectory) }
        checkAgainstTrainer(config, with: &r)
    }

    /// The network's and the trainer's own validation (NeuraLUT), on the
    /// network as the project file describes it, its error reported on the
    /// key a user would edit. Data-dependent checks come later
    /// (`checkAgainstData`): here layer 0 may read as many features as it asks for.
    static func checkAgainstTrainer(_ config: ProjectConfig, with r: inout TOMLReader) {
        // A problem already reported has the precise message; validation stops at the first problem.
        guard r.diagnostics.isEmpty, let first = config.model.layerSpecs.first, let last = config.model.layers.last else { return }
        let k = config.model.partitionsPerClass
        if last.partitions % k != 0 {
            // The classes come with the data; here only the grouping can be wrong.
            r.report(
                lastLayerPartitionsPath(config.model),
                lastLayerProblem(partitions: last.partitions, partitionsPerClass: k, classes: nil, dataName: nil))
            return
        }
        let spec = config.networkSpec(inputFeatures: first.fanIn, classes: last.partitions / k)
        if let shift = config.train.augmentShift, shift > 0, config.model.imageWidth == nil {
            // NeuraLUT says the same without the key's TOML name.
            r.report(
                ConfigKeyPath().appending("train").appending("augment_shift"),
                "shifts training images, so it needs model.image_width (the images' width in pixels)")
            return
        }
        if config.model.imageChannels > 1, config.model.imageWidth == nil {
            r.report(
                ConfigKeyPath().appending("model").appending("image_channels"),
                "places features on the pixels of images, so it needs model.image_width (the images' width in pixels)")
            return
        }
        if config.model.searchesWiring, config.model.imageWidth == nil {
            r.report(
                ConfigKeyPath().appending("model").appending("search_wiring"),
                "moves inputs within windows of the image, so it needs model.image_width (the images' width in pixels)")
            return
        }
        do {
            try spec.validate()
            try config.train.trainingConfig(minInputActivity: config.model.minInputActivity, image: config.model.image).validate()
        } catch let error as SpecError {
            r.report(path(of: error.field, in: config.model), error.problem)
        } catch {
            r.report(ConfigKeyPath().appending("model"), "\(error)")
        }
    }

    /// Where the project file sets the setting a NeuraLUT error names: a
    /// layer's `width`, `depth`, `skip`, `fan_in` or `bits` is the layer's own
    /// override if it has one, else the `[model]` default (`output_bits` for
    /// the last layer's bits). The TOML spellings of NeuraLUT's fields live here only.
    package static func path(of field: SpecField?, in model: ModelSection) -> ConfigKeyPath {
        let modelPath = ConfigKeyPath().appending("model"), train = ConfigKeyPath().appending("train")
        switch field {
        case nil: return modelPath
        case .inputBits: return modelPath.appending("input_bits")
        case .minInputActivity: return modelPath.appending("min_input_activity")
        case .imageWidth: return modelPath.appending("image_width")
        case .imageChannels: return modelPath.appending("image_channels")
        case .partitionsPerClass: return modelPath.appending("partitions_per_class")
        case .tieBreakers: return modelPath.appending("tie_breakers")
        case .epochs: return train.appending("epochs")
        case .batch: return train.appending("batch")
        case .learningRate: return train.appending("learning_rate")
        case .weightDecay: return train.appending("weight_decay")
        case .restartEpochs: return train.appending("restart_epochs")
        case .labelSmoothing: return train.appending("label_smoothing")
        case .augmentShift: return train.appending("augment_shift")
        case .calibrationRows: return train.appending("calibration_rows")
        case .distillation: return train.appending("distillation")
        case .validationFraction: return ConfigKeyPath().appending("dataset").appending("validation_fraction")
        case .layer(let layer, let layerField):
            let layerPath = modelPath.appending("layers").appending(index: layer)
            guard let layerField else { return layerPath }
            let key: String, overridden: Bool
            let overrides = layer < model.layers.count ? model.layers[layer] : nil
            switch layerField {
            case .partitions: return layerPath.appending("partitions")
            case .fanIn: (key, overridden) = ("fan_in", overrides?.fanIn != nil)
            case .bits: (key, overridden) = ("bits", overrides?.bits != nil)
            case .width: (key, overridden) = ("width", overrides?.width != nil)
            case .depth: (key, overridden) = ("depth", overrides?.depth != nil)
            case .skip: (key, overridden) = ("skip", overrides?.skip != nil)
            }
            if overridden || overrides == nil { return layerPath.appending(key) }
            return modelPath.appending(key == "bits" && layer == model.layers.count - 1 ? "output_bits" : key)
        }
    }

    /// Checks that need the data: layer 0's fan-in against the feature count
    /// and the last layer's partitions against the classes.
    package static func checkAgainstData(_ config: ProjectConfig, features: Int, classes: Int, dataName: String, with r: inout TOMLReader) {
        let specs = config.model.layerSpecs
        guard let first = specs.first, let last = specs.last else { return }
        if first.fanIn > features {
            r.report(
                fanInPath(config.model, layer: 0),
                "fan-in \(first.fanIn) is larger than the \(features) input features of \(dataName); expected at most \(features)")
        }
        let k = config.model.partitionsPerClass
        if last.partitions != classes * k {
            r.report(
                lastLayerPartitionsPath(config.model),
                lastLayerProblem(partitions: last.partitions, partitionsPerClass: k, classes: classes, dataName: dataName))
        }
        if let names = config.dataset.classNames, names.count != classes {
            r.report(
                ConfigKeyPath().appending("dataset").appending("class_names"),
                "\(names.count) names for the \(classes) classes in \(dataName); expected one name per class, in label order")
        }
        if let image = config.model.image, !image.fits(features: features) {
            // Patches place feature f by `ImageGeometry`: a wrong width or channel count scatters them.
            if features % image.channels != 0 {
                r.report(
                    ConfigKeyPath().appending("model").appending("image_channels"),
                    "the \(features) input features of \(dataName) are not whole pixels of \(image.channels) features;"
                        + " expected the features a pixel has, a divisor of \(features)")
            } else {
                r.report(
                    ConfigKeyPath().appending("model").appending("image_width"),
                    "the \(features) input features of \(dataName) are not whole \(image.rowsDescription);"
                        + " expected the images' width, a divisor of \(features / image.channels) (MNIST: 28)")
            }
        }
    }

    /// `model.layers[last].partitions`, where the last layer's size is edited.
    static func lastLayerPartitionsPath(_ model: ModelSection) -> ConfigKeyPath {
        ConfigKeyPath().appending("model").appending("layers").appending(index: max(model.layers.count - 1, 0))
            .appending("partitions")
    }

    /// The one rule for the last layer's size: one partition per class, or
    /// with `model.partitions_per_class` = k, k per class. Without the data
    /// (`classes` nil) only a multiple of k can be asked for.
    static func lastLayerProblem(partitions: Int, partitionsPerClass k: Int, classes: Int?, dataName: String?) -> String {
        guard k > 1 else {
            return "the last layer needs one partition per class: expected \(classes ?? 0) (the classes in \(dataName ?? "the data")),"
                + " found \(partitions)"
        }
        let rule = "the last layer needs \(k) partitions per class (model.partitions_per_class = \(k))"
        guard let classes else { return "\(rule): expected a multiple of \(k), found \(partitions)" }
        return "\(rule): expected \(classes * k) (\(classes) classes in \(dataName ?? "the data") × \(k)), found \(partitions)"
    }

    /// The names packaging and the RTL use, by the same rules (`Identifiers`),
    /// so a name accepted here is never rejected later.
    static func checkNames(_ project: ProjectSection, with r: inout TOMLReader) {
        let path = ConfigKeyPath().appending("project")
        for (key, value) in [("name", project.name), ("top", project.top)] {
            // `top` defaults to `name`: only report it when it was written.
            if key == "top" && project.top == project.name { continue }
            if let problem = Identifiers.designNameProblem(value) { r.report(path.appending(key), problem) }
        }
        let rules: [(key: String, value: String, ok: (String) -> Bool, expected: String)] = [
            (
                "vendor", project.vendor, Identifiers.isVendor,
                "a name starting with a letter, then letters, digits, '_', '.' or '-' (e.g. example.org)"
            ),
            (
                "library", project.library, Identifiers.isVerilogIdentifier,
                "a Verilog identifier (a letter or '_', then letters, digits or '_'; not a reserved word)"
            ),
            ("version", project.version, Identifiers.isDottedVersion, "a dotted version such as 1.0"),
            ("description", project.description, Identifiers.isSingleLineText, "one line of text without control characters"),
        ]
        for rule in rules where !rule.ok(rule.value) {
            r.report(path.appending(rule.key), "expected \(rule.expected), found \(String(reflecting: rule.value))")
        }
    }

    /// `[fpga]` names, by packaging's rules.
    static func checkFPGA(_ fpga: FPGASection, with r: inout TOMLReader) {
        let path = ConfigKeyPath().appending("fpga")
        if !Identifiers.isPartName(fpga.part) {
            r.report(
                path.appending("part"),
                "expected a Xilinx part name in lower case such as xcvu9p-flgb2104-2-i, found \(String(reflecting: fpga.part))")
        }
        for family in fpga.families {
            if !Identifiers.isFamily(family) {
                r.report(
                    path.appending("families"),
                    "expected device families such as \"virtexuplus\" (letters and digits), found \(String(reflecting: family))")
            } else if let problem = DeviceFamilies.unknownProblem(
                family, suggestion: EditDistance.closest(to: family, among: DeviceFamilies.all))
            {
                r.report(path.appending("families"), problem)
            }
        }
        if Identifiers.isPartName(fpga.part), let problem = DeviceFamilies.partProblem(part: fpga.part, families: fpga.families) {
            r.report(path.appending("families"), problem)
        }
        if Set(fpga.families).count != fpga.families.count {
            r.report(path.appending("families"), "a family appears more than once; expected each family once")
        }
    }

    static func checkLayers(_ model: ModelSection, with r: inout TOMLReader) {
        let modelPath = ConfigKeyPath().appending("model")
        let specs = model.layerSpecs
        for (i, spec) in specs.enumerated() {
            let layerPath = modelPath.appending("layers").appending(index: i)
            let layer = model.layers[i]
            if spec.shape.skip > spec.shape.depth {
                let path =
                    layer.skip != nil
                    ? layerPath.appending("skip") : (layer.depth != nil ? layerPath.appending("depth") : modelPath.appending("skip"))
                r.report(path, "skip \(spec.shape.skip) is larger than depth \(spec.shape.depth); expected 0…\(spec.shape.depth)")
            }
            if i > 0 && spec.fanIn > specs[i - 1].partitions {
                let previous = specs[i - 1].partitions
                r.report(
                    fanInPath(model, layer: i),
                    "fan-in \(spec.fanIn) is larger than the previous layer's \(previous) partitions; expected at most \(previous)")
            }
            let inputBits = model.inputBits(ofLayer: i)
            let addressBits = spec.fanIn * inputBits
            if addressBits > model.maxTableBits {
                r.report(
                    layerPath,
                    "a partition reads \(spec.fanIn) inputs × \(inputBits) bits = \(addressBits) table address bits, above"
                        + " max_table_bits = \(model.maxTableBits); its truth table would need 2^\(addressBits) entries ="
                        + " \(tableSize(addressBits: addressBits)); lower fan_in or bits, or raise model.max_table_bits"
                )
            }
        }
        if model.layers.isEmpty && r.diagnostics.allSatisfy({ $0.key != "model.layers" }) {
            r.report(modelPath.appending("layers"), "expected at least one layer, e.g. layers = [{ partitions = 10 }]")
        }
    }

    static func checkDataset(_ dataset: DatasetSection, with r: inout TOMLReader, projectDirectory: URL?) {
        let path = ConfigKeyPath().appending("dataset")
        let needsLabelFiles = dataset.format != .csv
        if needsLabelFiles && dataset.trainLabels == nil {
            r.report(
                path.appending("train_labels"),
                "missing; format \"\(dataset.format.rawValue)\" keeps labels in a separate file: expected the labels file of dataset.train")
        }
        if needsLabelFiles && dataset.test != nil && dataset.testLabels == nil {
            r.report(
                path.appending("test_labels"),
                "missing; format \"\(dataset.format.rawValue)\" keeps labels in a separate file: expected the labels file of dataset.test")
        }
        if !needsLabelFiles {
            for key in ["train_labels", "test_labels"] where (key == "train_labels" ? dataset.trainLabels : dataset.testLabels) != nil {
                r.report(
                    path.appending(key),
                    "only used with format \"idx\" or \"npy\"; a CSV file holds its labels in the column named by dataset.label")
            }
        }
        if dataset.format == .csv, !dataset.header, case .name(let name) = dataset.label {
            r.report(
                path.appending("label"),
                "with header = false the columns have no names: expected the label column's 0-based index, e.g. label = -1 for"
                    + " the last column, found \"\(name)\""
            )
        }
        if dataset.testLabels != nil && dataset.test == nil {
            r.report(path.appending("test_labels"), "given without dataset.test; expected both or neither")
        }
        if dataset.test == nil && dataset.testFraction == 0 {
            r.report(path.appending("test_fraction"), "expected a fraction above 0 when no dataset.test file is given, found 0")
        }
        guard let directory = projectDirectory else { return }
        let files: [(String, String?)] = [
            ("train", dataset.train), ("train_labels", dataset.trainLabels),
            ("test", dataset.test), ("test_labels", dataset.testLabels),
        ]
        for (key, file) in files {
            guard let file else { continue }
            let url = resolve(file, in: directory)
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                r.report(path.appending(key), "file \"\(file)\" not found (looked for \(url.path))")
            } else if isDirectory.boolValue {
                r.report(path.appending(key), "\"\(file)\" is a directory; expected a file")
            } else if let kind = FileKind.notRegular(path: url.path) {
                r.report(path.appending(key), "\"\(file)\" is \(kind); expected a regular data file")
            }
        }
    }

    /// A data path from the project file: absolute, or relative to the project directory.
    package static func resolve(_ file: String, in directory: URL) -> URL {
        file.hasPrefix("/") ? URL(fileURLWithPath: file) : directory.appendingPathComponent(file)
    }

    /// Where a layer's fan-in comes from: its own override or `model.fan_in`.
    static func fanInPath(_ model: ModelSection, layer: Int) -> ConfigKeyPath {
        let modelPath = ConfigKeyPath().appending("model")
        return model.layers[layer].fanIn != nil
            ? modelPath.appending("layers").appending(index: layer).appending("fan_in")
            : modelPath.appending("fan_in")
    }

    /// Size of a table of 2^bits 16-bit entries.
    static func tableSize(addressBits: Int) -> String {
        ByteCount.text(2 * pow(2, Double(addressBits)))
    }
}
