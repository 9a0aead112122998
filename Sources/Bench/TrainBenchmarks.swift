import Datasets
import Foundation
import NeuraLUT
import Pipeline
import ProjectFile
import Subprocess

/// Benchmarks of training and tabulation (issues 3 and 4.1); see Benchmark.swift.
let trainBenchmarks: [Benchmark] = [
    Benchmark(names: ["train.jsc-2l.samples_per_s", "train.jsc-2l.gflops"]) {
        try throughputFigures("jsc-2l", data: syntheticJSC(), batch: 1024, batches: 600)
    },
    Benchmark(names: ["train.jsc-5l.samples_per_s", "train.jsc-5l.gflops"]) {
        try throughputFigures("jsc-5l", data: syntheticJSC(), batch: 1024, batches: 100)
    },
    Benchmark(names: ["train.jsc-5l.loaded_fraction"]) {
        [
            Figure(
                name: "train.jsc-5l.loaded_fraction", value: try loadedFraction("jsc-5l", data: syntheticJSC(), batch: 1024, batches: 40),
                unit: "fraction")
        ]
    },
    Benchmark(names: ["train.mnist-5l.samples_per_s"]) {
        [
            Figure(
                name: "train.mnist-5l.samples_per_s",
                value: try trainingThroughput("mnist-5l", data: try mnist().train, batch: 128, batches: 150), unit: "samples/s")
        ]
    },
    Benchmark(names: ["train.mnist-5l.acc_10ep", "train.mnist-5l.minutes_10ep", "train.mnist-5l.peak_rss_mb"]) {
        let (accuracy, seconds) = try trainMNIST(epochs: 10)
        return [
            Figure(name: "train.mnist-5l.acc_10ep", value: accuracy, unit: "fraction"),
            Figure(name: "train.mnist-5l.minutes_10ep", value: seconds / 60, unit: "min"),
            Figure(name: "train.mnist-5l.peak_rss_mb", value: peakResidentMegabytes(), unit: "MB"),
        ]
    },
    Benchmark(names: ["train.mnist-5l.test_acc"], fullOnly: true) {
        [Figure(name: "train.mnist-5l.test_acc", value: try trainMNIST(epochs: mnistFullEpochs).accuracy, unit: "fraction")]
    },
    Benchmark(names: ["train.mnist-bit-small.samples_per_s", "train.mnist-bit-small.search_samples_per_s"]) {
        try ShippedNetworkThroughput.figures()
    },
    Benchmark(names: TinyValidationSelectionBenchmark.names) { try TinyValidationSelectionBenchmark().run() },
    Benchmark(names: ["tabulate.jsc-5l.s"]) {
        [Figure(name: "tabulate.jsc-5l.s", value: tabulationSeconds("jsc-5l"), unit: "s")]
    },
    Benchmark(names: ["tabulate.mnist-5l.s"]) {
        [Figure(name: "tabulate.mnist-5l.s", value: tabulationSeconds("mnist-5l"), unit: "s")]
    },
]

/// Training settings of the MNIST accuracy runs: the reference's optimiser
/// and schedule (lr 3e-3, warm restarts every 100 epochs; shorter runs anneal
/// once), 5,000 training images held out for selection, and the first layer
/// wired to the pixels that are not background in more than 10% of images.
let mnistFullEpochs = 200
func mnistConfig(epochs: Int) -> TrainingConfig {
    TrainingConfig(
        epochs: epochs, batchSize: 128, learningRate: 3e-3, restartEpochs: min(epochs, 100),
        validationFraction: 1.0 / 12, minInputActivity: 0.1)
}

/// JSC-shaped synthetic data (16 features, 5 classes, 664,000 rows, class-dependent Gaussian means).
func syntheticJSC(rows: Int = 664_000) -> Dataset {
    var rng = SystemIndependentNormal(seed: 42)
    let means: [[Float]] = (0..<5).map { c in (0..<16).map { f in Float((c * 7 + f * 3) % 11) / 5 - 1 } }
    var features = [Float](repeating: 0, count: rows * 16)
    var labels = [Int32](repeating: 0, count: rows)
    for r in 0..<rows {
        let c = r % 5
        labels[r] = Int32(c)
        for f in 0..<16 { features[r * 16 + f] = means[c][f] + rng.next() }
    }
    return Dataset(features: features, labels: labels, rows: rows, columns: 16, classes: 5, featureNames: (0..<16).map { "f\($0)" })
}

/// Standard normal samples (Box–Muller on SeededRandom).
struct SystemIndependentNormal {
    var rng: SeededRandom
    init(seed: UInt64) { rng = SeededRandom(seed: seed) }
    mutating func next() -> Float {
        let u = max(rng.nextUnitFloat(), 1e-7), v = rng.nextUnitFloat()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// MNIST from the shared folder, normalised as docs/method.md says.
func mnist() throws -> DatasetSplit {
    let folder = sharedDatasets.appendingPathComponent("mnist")
    func load(_ images: String, _ labels: String) throws -> Dataset {
        let data = try IDXLoader.load(
            images: folder.appendingPathComponent(images), labels: folder.appendingPathComponent(labels), classes: 10)
        return FeatureNormalization.mnist(columns: data.columns).apply(to: data)
    }
    return DatasetSplit(
        train: try load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        test: try load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))
}

/// `train.MODEL.samples_per_s` and the useful GFLOP/s it amounts to
/// (`NetworkSpec.trainingFlopsPerSample`), to set against `machine.sgemm_gflops`.
func throughputFigures(_ model: String, data: Dataset, batch: Int, batches: Int) throws -> [Figure] {
    let rate = try trainingThroughput(model, data: data, batch: batch, batches: batches)
    let flops = NetworkSpec.reference(model)!.trainingFlopsPerSample
    return [
        Figure(name: "train.\(model).samples_per_s", value: rate, unit: "samples/s"),
        Figure(name: "train.\(model).gflops", value: rate * flops / 1e9, unit: "GFLOP/s"),
    ]
}

/// Samples per second of forward + backward + update over a timed slice of
/// an epoch (after 3 warm-up batches).
func trainingThroughput(_ model: String, data: Dataset, batch: Int, batches: Int) throws -> Double {
    guard let spec = NetworkSpec.reference(model) else { throw BenchError("unknown model \(model)") }
    let trainer = try Trainer(spec: spec, config: TrainingConfig(epochs: 1, batchSize: batch, validationFraction: 0), data: data)
    let warmUp = 3
    let clock = BatchClock()
    _ = try trainer.run(
        progress: { p in clock.mark(batch: p.batch, warmUp: warmUp) },
        shouldStop: { clock.batches >= warmUp + batches })
    return Double(batches * batch) / clock.seconds
}

/// The shipped target-4 network (`examples/mnist-bit-small`, 1-bit pixels, 800 → 250 tables of
/// sub-networks 16 × 3, 25 per class) on its own prepared MNIST rows: training's samples per
/// second, and the wiring search's (the same run, also summing each input slot's candidates).
/// Without the teacher (its soft targets cost little a step, and the teacher a minute first).
enum ShippedNetworkThroughput {
    static let example = "mnist-bit-small"

    static func figures() throws -> [Figure] {
        let folder = try ExampleCheckout.project(
            example: URL(fileURLWithPath: "examples").appendingPathComponent(example),
            under: URL(fileURLWithPath: ".build/bench/throughput"), folder: example)
        let project = try Project.open(path: folder.path)
        let data = try project.prepareData()
        let spec = project.config.networkSpec(inputFeatures: data.features, classes: data.classes)
        var config = project.config.train.trainingConfig(
            minInputActivity: project.config.model.minInputActivity, image: project.config.model.image)
        config.distillation = 0
        config.epochs = 1
        func rate(searching: Bool) throws -> Double {
            config.searchesWiring = searching
            let trainer = try Trainer(spec: spec, config: config, data: data.train, validation: data.validation)
            let warmUp = 3, batches = 120
            let clock = BatchClock()
            _ = try trainer.run(
                progress: { p in clock.mark(batch: p.batch, warmUp: warmUp) },
                shouldStop: { clock.batches >= warmUp + batches })
            return Double(batches * config.batchSize) / clock.seconds
        }
        return [
            Figure(name: "train.\(example).samples_per_s", value: try rate(searching: false), unit: "samples/s"),
            Figure(name: "train.\(example).search_samples_per_s", value: try rate(searching: true), unit: "samples/s"),
        ]
    }
}

/// Throughput with two CPU-bound processes beside training, as a fraction of
/// the throughput without them: the median of three rounds, each timing
/// an unloaded run and then a loaded one so both see the same machine. On
/// n cores with n training threads a fair share is n / (n + 2).
func loadedFraction(_ model: String, data: Dataset, batch: Int, batches: Int) throws -> Double {
    var fractions: [Double] = []
    for _ in 0..<3 {
        let idle = try trainingThroughput(model, data: data, batch: batch, batches: batches)
        let spinners = try (0..<2).map { _ in try CPUSpinner() }
        defer { for spinner in spinners { spinner.stop() } }
        Thread.sleep(forTimeInterval: 0.2)
        fractions.append(try trainingThroughput(model, data: data, batch: batch, batches: batches) / idle)
    }
    return fractions.sorted()[1]
}

/// A child process that only burns CPU (a shell loop on a builtin) until stopped.
/// Supervised like lutbuild's tools, so it dies with the bench even when the
/// bench is killed (a plain child would keep spinning and load every later run).
final class CPUSpinner {
    private let process: SupervisedProcess

    init() throws {
        let null = open("/dev/null", O_WRONLY)
        defer { close(null) }
        process = try SupervisedProcess(
            "/bin/sh", ["-c", "while :; do :; done"], in: URL(fileURLWithPath: "/"), output: null, errors: null)
    }

    func stop() {
        process.stop(grace: ExternalTool.terminationGrace)
    }
}

/// Times the batches after the warm-up.
final class BatchClock: @unchecked Sendable {
    private let lock = NSLock()
    private var start: UInt64 = 0
    private var end: UInt64 = 0
    private var count = 0

    func mark(batch: Int, warmUp: Int) {
        lock.lock()
        defer { lock.unlock() }
        count = batch
        let now = DispatchTime.now().uptimeNanoseconds
        if batch == warmUp { start = now }
        end = now
    }

    var batches: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
    var seconds: Double {
        lock.lock()
        defer { lock.unlock() }
        return Double(end - start) / 1e9
    }
}

/// Trains mnist-5l; returns the selected network's quantized test accuracy and wall seconds.
func trainMNIST(epochs: Int) throws -> (accuracy: Double, seconds: Double) {
    let data = try mnist()
    var outcome: TrainingOutcome?
    let seconds = try measureSeconds {
        outcome = try Trainer(spec: NetworkSpec.reference("mnist-5l")!, config: mnistConfig(epochs: epochs), data: data.train).run(
            progress: { p in
                if p.batch == p.batches {
                    FileHandle.standardError.write(
                        Data(
                            "mnist-5l epoch \(p.epoch)/\(p.epochs) loss \(p.loss) acc \(p.accuracy) \(Int(p.samplesPerSecond)) samples/s\n"
                                .utf8))
                }
            })
    }
    return (quantizedAccuracy(network: outcome!.network, data: data.test), seconds)
}

func peakResidentMegabytes() -> Double { DatasetFuzzer.peakResidentMegabytes() }

/// Seconds to tabulate every partition of a (freshly initialised) reference model.
func tabulationSeconds(_ model: String) -> Double {
    let net = TrainedNetwork.initial(spec: NetworkSpec.reference(model)!)
    var times: [Double] = []
    for _ in 0..<3 { times.append(measureSeconds { _ = tabulate(net) }) }
    return times.min()!
}
