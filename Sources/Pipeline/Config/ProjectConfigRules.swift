import Foundation

/// Rules that relate several keys (or the file system) to each other; each
/// broken rule becomes one diagnostic on the key a user would edit.
enum ProjectConfigRules {
    static func check(_ config: ProjectConfig, with r: inout TOMLReader, projectDirectory: URL?) {
        checkNames(config.project, with: &r)
        checkLayers(config.model, with: &r)
        checkDataset(config.dataset, with: &r, projectDirectory: projectDirectory)
    }

    /// Checks that need the data: layer 0's fan-in against the feature count
    /// and the last layer's partitions against the classes.
    static func checkAgainstData(_ config: ProjectConfig, features: Int, classes: Int, dataName: String, with r: inout TOMLReader) {
        let specs = config.model.layerSpecs
        guard let first = specs.first, let last = specs.last else { return }
        if first.fanIn > features {
            r.report(
                fanInPath(config.model, layer: 0),
                "fan-in \(first.fanIn) is larger than the \(features) input features of \(dataName); expected at most \(features)")
        }
        if last.partitions != classes {
            let layerPath = ConfigKeyPath().appending("model").appending("layers").appending(index: specs.count - 1)
            r.report(
                layerPath.appending("partitions"),
                "the last layer needs one partition per class: expected \(classes) (the classes in \(dataName)), found \(last.partitions)")
        }
    }

    static func checkNames(_ project: ProjectSection, with r: inout TOMLReader) {
        let path = ConfigKeyPath().appending("project")
        for (key, value) in [("name", project.name), ("top", project.top)] where !isVerilogIdentifier(value) {
            // `top` defaults to `name`: only report it when it was written.
            if key == "top" && project.top == project.name { continue }
            r.report(path.appending(key), "expected a Verilog identifier (letters, digits, _; not starting with a digit; not a keyword), found \"\(value)\"")
        }
    }

    static func checkLayers(_ model: ModelSection, with r: inout TOMLReader) {
        let modelPath = ConfigKeyPath().appending("model")
        let specs = model.layerSpecs
        for (i, spec) in specs.enumerated() {
            let layerPath = modelPath.appending("layers").appending(index: i)
            let layer = model.layers[i]
            if spec.shape.skip > spec.shape.depth {
                let path = layer.skip != nil ? layerPath.appending("skip") : (layer.depth != nil ? layerPath.appending("depth") : modelPath.appending("skip"))
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
                    "a partition reads \(spec.fanIn) inputs × \(inputBits) bits = \(addressBits) table address bits, above max_table_bits = \(model.maxTableBits); its truth table would need 2^\(addressBits) entries = \(tableSize(addressBits: addressBits)); lower fan_in or bits, or raise model.max_table_bits")
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
            r.report(path.appending("train_labels"), "missing; format \"\(dataset.format.rawValue)\" keeps labels in a separate file: expected the labels file of dataset.train")
        }
        if needsLabelFiles && dataset.test != nil && dataset.testLabels == nil {
            r.report(path.appending("test_labels"), "missing; format \"\(dataset.format.rawValue)\" keeps labels in a separate file: expected the labels file of dataset.test")
        }
        if !needsLabelFiles {
            for key in ["train_labels", "test_labels"] where (key == "train_labels" ? dataset.trainLabels : dataset.testLabels) != nil {
                r.report(path.appending(key), "only used with format \"idx\" or \"npy\"; a CSV file holds its labels in the column named by dataset.label")
            }
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
            }
        }
    }

    /// A data path from the project file: absolute, or relative to the project directory.
    static func resolve(_ file: String, in directory: URL) -> URL {
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

    static let verilogKeywords: Set<String> = [
        "always", "and", "assign", "begin", "buf", "case", "casex", "casez", "default", "defparam", "else", "end",
        "endcase", "endfunction", "endgenerate", "endmodule", "endtask", "for", "function", "generate", "genvar",
        "if", "initial", "inout", "input", "integer", "localparam", "module", "nand", "negedge", "nor", "not", "or",
        "output", "parameter", "posedge", "real", "reg", "signed", "task", "time", "wire", "xnor", "xor",
    ]

    static func isVerilogIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        let ok = name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        return ok && !verilogKeywords.contains(name)
    }
}
