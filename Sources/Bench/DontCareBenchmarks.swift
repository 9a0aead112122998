import Foundation
import NeuraLUT
import Pipeline
import Synthesis
import ProjectFile

/// Don't-cares (issue 11 part 4): the template and mnist-5l with
/// `[hardware] dont_care = "unseen"`: LUTs and test accuracy of the filled
/// design next to the exact one.
let dontCareBenchmarks: [Benchmark] = [
    Benchmark(names: [
        "hw.digits.dontcare.luts", "hw.digits.dontcare.test_acc",
        "hw.digits.dontcare.exact_luts", "hw.digits.dontcare.exact_test_acc", "hw.digits.dontcare.test_outside_care",
    ]) {
        try DontCareBenchmark(name: "digits").run(project: digitsProject)
    },
    Benchmark(names: [
        "hw.mnist-5l.dontcare.luts", "hw.mnist-5l.dontcare.test_acc",
        "hw.mnist-5l.dontcare.exact_luts", "hw.mnist-5l.dontcare.exact_test_acc", "hw.mnist-5l.dontcare.test_outside_care",
    ]) {
        // 10 epochs; `bench/run --full` trains the reference schedule to the end.
        try DontCareBenchmark(name: "mnist-5l").run(
            project: mnistProject(
                epochs: CommandLine.arguments.contains("--full") ? mnistFullEpochs : 10,
                settings: dontCareSettings))
    },
]

/// `[hardware]` of the measured builds.
let dontCareSettings = "[hardware]\ndont_care = \"unseen\"\n"

/// The template as `lutbuild init` writes it, with don't-cares.
func digitsProject(_ directory: URL) throws {
    try ProjectTemplate.install(into: directory, displayName: directory.path)
    let file = directory.appendingPathComponent(ProjectConfig.fileName)
    let text = try String(contentsOf: file, encoding: .utf8)
    try Data((text + "\n" + dontCareSettings).utf8).write(to: file)
}

/// `[dataset]` of the shared MNIST files (IDX, scaled as the reference scales them), for the bench's mnist-5l projects.
func mnistDatasetSection() -> String {
    let mnist = sharedDatasets.appendingPathComponent("mnist").standardizedFileURL.path
    return """
        [dataset]
        format = "idx"
        train = "\(mnist)/train-images-idx3-ubyte.gz"
        train_labels = "\(mnist)/train-labels-idx1-ubyte.gz"
        test = "\(mnist)/t10k-images-idx3-ubyte.gz"
        test_labels = "\(mnist)/t10k-labels-idx1-ubyte.gz"
        normalize = "mnist"
        """
}

/// mnist-5l with the reference schedule (as `train.mnist-5l.*` trains it), plus `settings` (project-file sections).
func mnistProject(epochs: Int, settings: String = "") -> (URL) throws -> Void {
    { directory in
        let text = """
            [project]
            name = "mnist_5l"

            \(mnistDatasetSection())
            validation_fraction = \(1.0 / 12)

            [model]
            input_bits = 2
            bits = 2
            fan_in = 6
            width = 16
            depth = 4
            skip = 2
            min_input_activity = 0.1
            layers = [{ partitions = 256 }, { partitions = 100 }, { partitions = 100 }, { partitions = 100 }, { partitions = 10 }]

            [train]
            epochs = \(epochs)
            batch = 128
            learning_rate = 3e-3
            restart_epochs = \(min(epochs, 100))

            \(settings)
            """
        try Data(text.utf8).write(to: directory.appendingPathComponent(ProjectConfig.fileName))
    }
}

/// Trains the project's network as its build does (same spec, settings,
/// data split), then maps every table exactly and with the project's care
/// sets, and compares the two designs.
struct DontCareBenchmark {
    var name: String

    func run(project write: (URL) throws -> Void) throws -> [Figure] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-bench-dontcare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(directory)
        let project = try Project.open(path: directory.path)
        let config = project.config
        let data = try project.prepareData()
        let trainer = try Trainer(
            spec: config.networkSpec(inputFeatures: data.features, classes: data.classes),
            config: config.train.trainingConfig(minInputActivity: config.model.minInputActivity, image: config.model.image),
            data: data.train, test: data.test, validation: data.validation)
        let outcome = try trainer.run(progress: { p in
            if p.batch == p.batches { FileHandle.standardError.write(Data("\(name) epoch \(p.epoch)/\(p.epochs)\n".utf8)) }
        })
        let exact = tabulate(outcome.network)
        let careSets = try exact.careSets(
            rows: [data.train, data.validation], minimumHits: config.hardware.dontCareMinHits,
            widen: config.hardware.dontCareWiden)
        let mapper = LUTMapper()
        let exactLUTs = try mapper.map(network: exact).joined().reduce(0) { $0 + $1.statistics.luts }
        let netlists = try mapper.map(network: exact, care: careSets.map { $0.map(Optional.some) })
        let filled = try exact.replacingTables(netlists.map { $0.map(\.truthTable) })
        let effect = try FillingEffect(exact: exact, filled: filled, careSets: careSets, test: data.test)
        return [
            Figure(name: "hw.\(name).dontcare.luts", value: Double(netlists.joined().reduce(0) { $0 + $1.statistics.luts }), unit: "LUTs"),
            Figure(name: "hw.\(name).dontcare.test_acc", value: effect.filledTestAccuracy, unit: "fraction"),
            Figure(name: "hw.\(name).dontcare.exact_luts", value: Double(exactLUTs), unit: "LUTs"),
            Figure(name: "hw.\(name).dontcare.exact_test_acc", value: effect.exactTestAccuracy, unit: "fraction"),
            Figure(name: "hw.\(name).dontcare.test_outside_care", value: effect.testLookupsOutsideCare, unit: "fraction"),
        ]
    }
}
