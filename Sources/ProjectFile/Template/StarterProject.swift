import Datasets
import Foundation
import HDLNames

/// `lutbuild init --data`: a project around the user's own data file, with
/// the network sized from the data (the digits starter is `ProjectTemplate`).
public struct StarterProject: Sendable, Equatable {
    /// What the data file holds, as the project file will describe it.
    public struct DataFacts: Sendable, Equatable {
        public var format: DataFileFormat
        /// Paths as the project file writes them (relative to the project directory).
        public var train: String
        public var trainLabels: String?
        /// The CSV layout and how the label column was found (CSV only).
        public var csv: CSVSniff?
        /// Subtracted from the file's labels so that classes count from 0.
        public var labelOffset: Int
        public var rows: Int
        public var features: Int
        public var classes: Int
        /// Classes (after the offset) that no row has.
        public var emptyClasses: [Int]
    }

    /// The network and training run sized for the data.
    public struct Sizing: Sendable, Equatable {
        public var inputBits: Int
        public var bits: Int
        /// The last layer's code width: with 2-bit outputs, many inputs give two or
        /// more classes the same largest code and the argmax takes the lowest class
        /// (docs/mnist-frontier.md, "Argmax ties").
        public var outputBits: Int
        public var fanIn: Int
        /// Partitions per layer; the last is one per class.
        public var partitions: [Int]
        public var epochs: Int
        public var batch: Int
        /// Rows training fits on (after the test and validation splits).
        public var trainRows: Int
        /// Carved from the non-test rows to select the model on; 0 with `lastEpoch`.
        public var validationFraction: Double
        public var selection: ModelSelection
        /// Rows `validationFraction` holds out.
        public var validationRows: Int

        /// Table address bits the starter aims at: 2^12 entries per partition
        /// tabulate in milliseconds and stay far below `max_table_bits`.
        static let tableBits = 12
        static let testFraction = 0.2
        /// The validation share when it gives `ModelSelection.minimumValidationRows`.
        static let usualValidationFraction = 0.1
        /// Samples a training run aims to see (the digits starter: about 150,000 in 5 s).
        static let samplesPerRun = 150_000

        /// First layer: about one partition per feature (16…256, a multiple
        /// of 8), so every feature is read several times; a hidden layer of
        /// half that (at least two per class); the last layer one per class.
        /// Every output is read by the next layer (its partitions × fan-in
        /// cover the previous layer's partitions): an output nobody reads is
        /// trained and mapped for nothing, so the hidden layer is at most
        /// classes × fan-in and the first at most hidden × fan-in.
        ///
        /// Model selection: a tenth of the non-test rows selects the best
        /// epoch when that is at least `ModelSelection.minimumValidationRows`
        /// rows; with fewer, every non-test row trains and the last epoch is
        /// kept (docs/project-file.md, `train.selection`).
        public init(features: Int, classes: Int, rows: Int) {
            inputBits = 2
            bits = 2
            outputBits = 3
            fanIn = max(1, min(6, features, Self.tableBits / inputBits))
            let perFeature = min(256, max(16, (features + 7) / 8 * 8))
            let hidden = min(max(perFeature / 2, 2 * classes, fanIn), classes * fanIn)
            let first = min(perFeature, hidden * fanIn)
            partitions = [first, hidden, classes]
            let nonTest = rows - Dataset.heldOutRows(of: rows, fraction: Self.testFraction)
            let usual = Dataset.heldOutRows(of: nonTest, fraction: Self.usualValidationFraction)
            if usual >= ModelSelection.minimumValidationRows {
                (validationFraction, selection, validationRows) = (Self.usualValidationFraction, .bestValidation, usual)
            } else {
                (validationFraction, selection, validationRows) = (0, .lastEpoch, 0)
            }
            trainRows = max(1, nonTest - validationRows)
            epochs = min(200, max(20, Self.samplesPerRun / trainRows / 10 * 10))
            batch = trainRows < 1000 ? 32 : trainRows < 20_000 ? 64 : 128
        }
    }

    public var name: String
    public var data: DataFacts
    public var sizing: Sizing

    /// Reads the data file (and its labels file), finds the label column and
    /// its offset, counts features and classes. Throws `DatasetError` with the
    /// file's problem, or when the files do not fit together.
    ///
    /// - Parameters:
    ///   - dataPath, labelsPath: the paths the project file will write.
    public static func examine(
        data: URL, labels: URL?, label: LabelColumn?, dataPath: String, labelsPath: String?,
        displayName: (URL) -> String = { $0.path }
    ) throws -> DataFacts {
        let dataName = displayName(data)
        let format = try DataFileFormat.detect(data, displayName: dataName)
        var csv: CSVSniff?
        var loadOffset = 0
        /// Loads the data with `offset` subtracted from its labels.
        func load(offset: Int) throws -> Dataset {
            switch (format, labels) {
            case (.csv, .some):
                throw DatasetError(
                    file: dataName,
                    message: "a CSV file holds its labels in a column; drop --labels (name the column with --label if needed)")
            case (.csv, nil):
                let sniff = try CSVSniff.sniff(data, label: label, displayName: dataName)
                var layout = sniff.layout
                layout.labelOffset = offset
                csv = sniff
                return try CSVLoader.load(contentsOf: data, layout: layout, displayName: dataName)
            case (_, nil):
                throw DatasetError(
                    file: dataName,
                    message: "a \(format.rawValue.uppercased()) file holds only features; give its labels file with --labels FILE")
            case (_, let labels?):
                if let label {
                    throw DatasetError(
                        file: dataName,
                        message:
                            "--label \(label.argument) names a CSV column, but this is a \(format.rawValue.uppercased()) file;"
                            + " its labels come from --labels"
                    )
                }
                return format == .idx
                    ? try IDXLoader.load(images: data, labels: labels, labelOffset: offset, displayName: displayName)
                    : try NPYLoader.load(features: data, labels: labels, labelOffset: offset, displayName: displayName)
            }
        }
        if format == .csv, labels == nil {
            // Negative labels load only with an offset; any other offset is found after loading.
            loadOffset = min(0, try CSVSniff.sniff(data, label: label, displayName: dataName).smallestLabel)
        }
        let dataset: Dataset
        do {
            dataset = try load(offset: loadOffset)
        } catch let error as DatasetError {
            // Labels numbered from 1: the new project gets `label_offset`, so load as it will.
            guard let suggested = error.suggestedLabelOffset else { throw error }
            loadOffset = suggested
            dataset = try load(offset: loadOffset)
        }
        let smallest = Int(dataset.labels.min() ?? 0)
        let offset = loadOffset + smallest
        let classes = Int(dataset.labels.max() ?? 0) - smallest + 1
        // Before sizing: one class would size a network the project file refuses.
        if let problem = ClassCount.tooFew(classes, label: offset, rows: dataset.rows) {
            throw DatasetError(file: labels.map(displayName) ?? dataName, message: problem)
        }
        var present = Set<Int32>()
        for label in dataset.labels { present.insert(label - Int32(smallest)) }
        let empty = (0..<classes).filter { !present.contains(Int32($0)) }
        return DataFacts(
            format: format, train: dataPath, trainLabels: labels == nil ? nil : labelsPath, csv: csv,
            labelOffset: offset, rows: dataset.rows, features: dataset.columns, classes: classes, emptyClasses: empty)
    }

    public init(name: String, data: DataFacts) {
        self.name = name
        self.data = data
        sizing = Sizing(features: data.features, classes: data.classes, rows: data.rows)
    }

    /// Creates the project in `directory`: examines the data, writes
    /// `lutbuild.toml`, README.md and .gitignore (and copies the data files
    /// into `data/` with `copyData`).
    ///
    /// Everything is checked before anything is written: the project file is
    /// parsed as `build` would parse it, and `check` runs on that project with
    /// the data files' bytes by role (`train`, `train_labels`): the caller
    /// passes the build's own data step (`StarterProject.createBuildable`, in Pipeline).
    /// A refusal (`ProjectTemplate.Conflict`, `DatasetError`, or whatever
    /// `check` throws) writes nothing, and the files are written all or
    /// nothing (`ProjectTemplate.write`). `displayName` is the directory as
    /// the user typed it (relative to the working directory).
    public static func create(
        in directory: URL, displayName: String, data: URL, labels: URL?, label: LabelColumn?, copyData: Bool,
        check: (Project, [String: Data]) throws -> Void
    ) throws -> (project: StarterProject, written: [String]) {
        let directory = directory.standardizedFileURL
        let sources = [data, labels].compactMap { $0?.standardizedFileURL }
        let userNames = [data.relativePath] + (labels.map { [$0.relativePath] } ?? [])
        let paths = sources.map { source in
            copyData ? "data/" + source.lastPathComponent : Project.projectRelative(source.path, in: directory)
        }
        let facts = try examine(
            data: sources[0], labels: sources.count > 1 ? sources[1] : nil, label: label,
            dataPath: paths[0], labelsPath: paths.count > 1 ? paths[1] : nil,
            displayName: { url in url == sources[0] ? userNames[0] : userNames.last ?? url.path })
        var contents: [String: Data] = [:]
        for (role, (source, userName)) in zip(["train", "train_labels"], zip(sources, userNames)) {
            do {
                contents[role] = try Data(contentsOf: source, options: .mappedIfSafe)
            } catch {
                throw DatasetError(file: userName, message: "cannot read the file (\((error as NSError).localizedDescription))")
            }
        }
        let project = StarterProject(name: projectName(fromDirectory: directory), data: facts)
        let projectFile = project.projectFile
        // The project as `build` will open it. Its data paths are not looked up: the files were
        // just read, and the directory (which `../` paths pass through) may not exist yet.
        let display = displayName == "." ? "" : (displayName.hasSuffix("/") ? displayName : displayName + "/")
        let config = try ProjectConfig.parse(text: projectFile, path: display + ProjectConfig.fileName, projectDirectory: nil)
        do {
            try check(Project(directory: directory, displayDirectory: display, config: config, text: projectFile), contents)
        } catch {
            throw Self.naming(error, paths: paths, as: userNames)
        }
        var files: [(path: String, contents: Data)] = [
            (ProjectConfig.fileName, Data(projectFile.utf8)),
            ("README.md", Data(project.readme.utf8)),
        ]
        files += ProjectTemplate.files.filter { $0.path == ".gitignore" }
        if copyData {
            for ((source, path), role) in zip(zip(sources, paths), ["train", "train_labels"])
            where source != directory.appendingPathComponent(path).standardizedFileURL {
                files.append((path, contents[role] ?? Data()))
            }
        }
        let written = try ProjectTemplate.write(files, into: directory, displayName: displayName)
        return (project, written)
    }

    /// `error` with data files named as the user named them on the command line,
    /// not by their path in the project file that was not written.
    private static func naming(_ error: any Error, paths: [String], as userNames: [String]) -> any Error {
        func renamed(_ problem: DatasetError) -> DatasetError {
            guard let index = paths.firstIndex(of: problem.file) else { return problem }
            var problem = problem
            problem.file = userNames[index]
            return problem
        }
        switch error {
        case let single as DatasetError: return renamed(single)
        case let several as DatasetErrors: return DatasetErrors(several.problems.map(renamed))
        default: return error
        }
    }

    /// `my-design` → `my_design_lut`: a Verilog identifier from a directory name.
    /// Cut to `Identifiers.maxDesignNameLength` (a long folder name still gives a valid project).
    public static func projectName(fromDirectory directory: URL) -> String {
        var name = String(
            directory.standardizedFileURL.lastPathComponent.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        name = name.split(separator: "_").joined(separator: "_")
        if name.isEmpty || name.first!.isNumber { name = "design_" + name }
        if name.hasSuffix("_lut") { name.removeLast(4) }
        let suffix = "_lut"
        name = String(name.prefix(Identifiers.maxDesignNameLength - suffix.count))
        while name.hasSuffix("_") { name.removeLast() }
        return name + suffix
    }
}

extension StarterProject {
    /// The project file: every value sized from the data, each with a comment saying why.
    public var projectFile: String {
        let d = data, s = sizing
        // The keys the data does not size keep the project file's defaults and doc lines, from its key table.
        let model = ModelSection()
        func defaulted(_ section: String, _ key: String, comment: String? = nil) -> String {
            Self.entry(key, ProjectKeys.defaultValue(of: "\(section).\(key)"), comment)
        }
        func documented(_ section: String, _ key: String, _ value: String) -> String {
            Self.entry(key, value, ProjectKeys.doc(of: "\(section).\(key)"))
        }
        let dataName = URL(fileURLWithPath: d.train).lastPathComponent
        var lines: [String] = [
            "# lutbuild project around \(dataName): \(d.features) features, \(d.classes) classes, \(d.rows) rows.",
            "# Written by `lutbuild init --data`; every key is documented in lutbuild's docs/project-file.md.",
            "",
            "[project]",
            Self.entry("name", KeyType.quoted(name), "also the top Verilog module name"),
            Self.entry("vendor", "\"example.org\"", "IP-XACT vendor/library/name/version"),
            "library = \"lutnn\"",
            "version = \"1.0\"",
            "description = \(KeyType.quoted("\(d.classes)-class classifier of \(dataName) in LUTs"))",
            "",
            "[dataset]",
            Self.entry("format", KeyType.quoted(d.format.rawValue), nil),
            Self.entry(
                "train", KeyType.quoted(d.train), "\(d.rows) rows of \(d.features) features" + (d.trainLabels == nil ? " and a label" : "")),
        ]
        if let labels = d.trainLabels { lines.append(Self.entry("train_labels", KeyType.quoted(labels), "one class label per row")) }
        if let csv = d.csv {
            if csv.layout.skipLines > 0 {
                lines.append(
                    Self.entry("skip_lines", "\(csv.layout.skipLines)", "scikit-learn's first line: row and feature counts, class names"))
            }
            if !csv.layout.header {
                lines.append(Self.entry("header", "false", "no header row: columns are \(CSVLoader.compactList(csv.columns))"))
            }
            let labelValue: String
            switch csv.layout.label {
            case .name(let column): labelValue = KeyType.quoted(column)
            case .index(let index): labelValue = "\(index)"
            }
            lines.append(Self.entry("label", labelValue, "the label column, found by \(csv.labelReason)"))
        }
        if d.labelOffset != 0 {
            lines.append(
                Self.entry(
                    "label_offset", "\(d.labelOffset)",
                    "the file's labels run \(d.labelOffset)…\(d.labelOffset + d.classes - 1); classes count from 0"))
        }
        if let names = d.csv?.classNames, names.count == d.classes {
            // A key, not a comment: the report page labels the confusion matrix with these names.
            let valid = Set(names).count == names.count && names.allSatisfy { !$0.isEmpty && Identifiers.isSingleLineText($0) }
            let list = names.enumerated().map { "\($0.offset) = \($0.element)" }.joined(separator: ", ")
            lines.append(
                valid
                    ? Self.entry("class_names", "[" + names.map(KeyType.quoted).joined(separator: ", ") + "]", "classes \(list)")
                    : "# classes: " + list)
        }
        lines += [
            Self.entry("test_fraction", "\(Sizing.testFraction)", "held out for the final accuracy"),
            s.selection == .bestValidation
                ? Self.entry(
                    "validation_fraction", "\(s.validationFraction)", "carved from training, selects the model: \(s.validationRows) rows")
                : Self.entry("validation_fraction", "0", "too few rows to select an epoch on: all \(s.trainRows) non-test rows train"),
            defaulted("dataset", "normalize", comment: "zero mean and unit variance per feature"),
            defaulted("dataset", "seed"),
            "",
            "[model]",
            defaulted("model", "seed"),
            documented("model", "input_bits", "\(s.inputBits)"),
            Self.entry("bits", "\(s.bits)", "code width between layers"),
            Self.entry("output_bits", "\(s.outputBits)", "at the output: fewer argmax ties than \(s.bits) bits"),
            Self.entry(
                "fan_in", "\(s.fanIn)",
                "inputs per partition: \(s.fanIn) x \(s.inputBits) = \(s.fanIn * s.inputBits) table address bits (at most"
                    + " max_table_bits = \(model.maxTableBits))"
            ),
            defaulted("model", "width", comment: ProjectKeys.doc(of: "model.width")),
            defaulted("model", "depth", comment: ProjectKeys.doc(of: "model.depth")),
            defaulted("model", "skip", comment: "S: a skip connection every \(model.skip) layers"),
            "layers = [",
        ]
        let reads = Double(s.partitions[0] * s.fanIn) / Double(max(d.features, 1))
        for (i, partitions) in s.partitions.enumerated() {
            let comment =
                i == 0
                ? "reads the \(d.features) features, each about \(Int(reads.rounded())) times"
                : i == s.partitions.count - 1 ? "one per class" : nil
            lines.append(Self.entry("  { partitions = \(partitions) },", nil, comment, bare: true))
        }
        lines += [
            "]",
            "",
            "[train]",
            Self.entry("epochs", "\(s.epochs)", "sized for \(s.trainRows) training rows: about \(s.epochs * s.trainRows / 1000)k samples"),
            "batch = \(s.batch)",
            defaulted("train", "learning_rate"),
            s.selection == .bestValidation
                ? Self.entry("selection", KeyType.quoted(s.selection.rawValue), "the epoch with the best validation accuracy")
                : Self.entry(
                    "selection", KeyType.quoted(s.selection.rawValue),
                    "fewer than \(ModelSelection.minimumValidationRows) validation rows would pick an epoch by luck"),
            "",
            "[rtl]",
            defaulted("rtl", "registers", comment: "latency = \(s.partitions.count) cycles"),
            defaulted("rtl", "argmax", comment: "adds out_class"),
            "",
            "[fpga]",
            defaulted("fpga", "part"),
            defaulted("fpga", "clock_mhz"),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A README for the new project: its files and the next commands.
    public var readme: String {
        let d = data
        return """
            # \(name)

            A lutbuild project: it turns `\(d.train)` (\(d.rows) rows, \(d.features) features, \(d.classes) classes) \
            into a NeuraLUT network, a circuit of lookup tables, for an FPGA.

            | file | what it is |
            |---|---|
            | `lutbuild.toml` | the project file: dataset, network shape, training, RTL and FPGA settings. Edit it. |
            | `.gitignore` | keeps lutbuild's local cache (`.lutbuild/`) out of git |
            | `lutbuild.lock` | written by builds: what was built from what. Commit it. |
            | `gen/` | written by builds: Verilog, testbench, reports (`gen/reports/index.html`), Vivado, IP-XACT and FuseSoC files |

            ```
            lutbuild build            # train, tabulate, emit Verilog, map tables to LUTs, verify in simulation, package
            lutbuild status           # anything stale or hand-edited?
            lutbuild explain          # after an edit: what the next build redoes, and why
            ```

            The network was sized from the data by `lutbuild init --data`: the first layer's partitions from \
            the feature count, the last layer one partition per class. A partition's truth table has \
            2^(fan_in × input bits) entries; lutbuild refuses tables above `max_table_bits` (20 by default).

            """
    }

    /// `key = value` with the comment aligned at column 32, as in the digits template.
    package static func entry(_ key: String, _ value: String?, _ comment: String?, bare: Bool = false) -> String {
        let text = bare ? key : "\(key) = \(value ?? "")"
        guard let comment else { return text }
        return text.padding(toLength: max(text.count + 1, 31), withPad: " ", startingAt: 0) + "# " + comment
    }
}
