import ArgumentParser
import Datasets
import Foundation
import Pipeline
import ProjectFile

/// `lutbuild init [dir] [--data FILE]`: start a project from the digits
/// template, or around the user's own data.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a project in a folder: around your own data (--data), or the 8x8 digits starter.",
        discussion: """
            With --data, lutbuild reads the file (CSV with or without a header, scikit-learn's CSV layout, \
            MNIST IDX or NumPy .npy with --labels), finds the label column, counts features and classes, and \
            writes a commented lutbuild.toml with a network sized from the data. Without it, the project is \
            the 8x8 digits starter. The data is loaded and split as a build would before anything is written: \
            data a build would refuse is reported and nothing is written (exit 2). \
            Refuses to overwrite any existing file: lists them and writes nothing (exit 2).
            """
    )

    @Argument(help: "Folder to create the project in (created if missing).")
    var directory: String = "."

    @Option(help: ArgumentHelp("Your data: a CSV file, IDX images or NPY features (gzip is fine).", valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("The labels file of IDX or NPY data.", valueName: "file"))
    var labels: String?

    /// Unconditional, so that `--label -1` is the last column rather than an unknown option.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The CSV label column: a header name, or a 0-based index (-1 is the last column). Found by itself when it is named"
                + " label/target/class/…, or is the only column of integers with few values.",
            valueName: "column"))
    var label: String?

    @Flag(help: "Copy the data files into the project's data/ folder instead of pointing at them.")
    var copyData = false

    func validate() throws {
        if data == nil && (labels != nil || label != nil || copyData) {
            throw ValidationError("--labels, --label and --copy-data need --data FILE")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let cd = directory == "." ? "" : "cd \(directory) && "
        guard let data else {
            let written = try ProjectTemplate.install(into: url, displayName: directory)
            print("created a lutbuild project in \(directory):")
            for path in written { print("  \(path)") }
            print("next: \(cd)lutbuild build")
            return
        }
        let (project, written) = try StarterProject.createBuildable(
            in: url, displayName: directory, data: URL(fileURLWithPath: data), labels: labels.map { URL(fileURLWithPath: $0) },
            label: label.map(LabelColumn.init(argument:)), copyData: copyData)
        let facts = project.data
        print("read \(data): \(facts.rows) rows, \(facts.features) features, \(facts.classes) classes (\(facts.format.rawValue))")
        if let csv = facts.csv {
            let header = csv.layout.header ? "a header row" : "no header row"
            print("  \(header); label column \(csv.columns[csv.labelIndex]) (found by \(csv.labelReason))")
        }
        if facts.labelOffset != 0 {
            print(
                "  labels run \(facts.labelOffset)…\(facts.labelOffset + facts.classes - 1): dataset.label_offset ="
                    + " \(facts.labelOffset) makes them 0…\(facts.classes - 1)"
            )
        }
        if !facts.emptyClasses.isEmpty {
            print(
                "  note: no row has class \(facts.emptyClasses.map(String.init).joined(separator: ", ")); its output partition"
                    + " will never be trained to fire"
            )
        }
        let sizing = project.sizing
        print(
            "  network: \(sizing.partitions.map(String.init).joined(separator: " → ")) partitions, fan-in \(sizing.fanIn),"
                + " \(sizing.bits)-bit codes (\(sizing.outputBits)-bit outputs); \(sizing.epochs) epochs"
        )
        if sizing.selection == .lastEpoch {
            print(
                "  too few rows to select an epoch on a validation split: all \(sizing.trainRows) non-test rows train, and the"
                    + " last epoch is kept"
            )
        }
        print("created a lutbuild project in \(directory):")
        for path in written { print("  \(path)") }
        print("next: \(cd)lutbuild build")
    }
}
