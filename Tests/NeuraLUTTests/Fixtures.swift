import Datasets
@testable import NeuraLUT

/// Tiny models and data shared by the NeuraLUT tests.
enum Fixtures {
    /// Two noisy features whose class is the XOR of their signs.
    static func xor(rows: Int = 400, seed: UInt64 = 7) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var features: [Float] = [], labels: [Int32] = []
        for _ in 0..<rows {
            let a = rng.nextInt(below: 2), b = rng.nextInt(below: 2)
            features.append(Float(a * 2 - 1) + (rng.nextUnitFloat() - 0.5) * 0.4)
            features.append(Float(b * 2 - 1) + (rng.nextUnitFloat() - 0.5) * 0.4)
            labels.append(Int32(a ^ b))
        }
        return Dataset(features: features, labels: labels, rows: rows, columns: 2, classes: 2, featureNames: ["a", "b"])
    }

    static func xorSpec(seed: UInt64 = 1) -> NetworkSpec {
        NetworkSpec(
            inputFeatures: 2, inputBits: 3, classes: 2,
            layers: [
                LayerSpec(partitions: 4, fanIn: 2, outputBits: 2, shape: PartitionShape(width: 8, depth: 2, skip: 0)),
                LayerSpec(partitions: 2, fanIn: 4, outputBits: 3, shape: .neuraLUT(width: 8)),
            ], seed: seed)
    }

    static func xorConfig(epochs: Int = 30, threads: Int = 1) -> TrainingConfig {
        TrainingConfig(epochs: epochs, batchSize: 32, learningRate: 1e-2, validationFraction: 0.2, threads: threads)
    }

    /// Gaussian blobs with a few more features and classes for a 3-layer model.
    static func blobs(rows: Int = 300, features: Int = 6, classes: Int = 3, seed: UInt64 = 3) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Int32] = []
        for _ in 0..<rows {
            let c = rng.nextInt(below: classes)
            for f in 0..<features { x.append(Float((c + f) % classes) + rng.nextUnitFloat() - 0.5) }
            y.append(Int32(c))
        }
        return Dataset(
            features: x, labels: y, rows: rows, columns: features, classes: classes,
            featureNames: (0..<features).map { "f\($0)" })
    }

    static func blobsSpec() -> NetworkSpec {
        NetworkSpec(
            inputFeatures: 6, inputBits: 2, classes: 3,
            layers: [
                LayerSpec(partitions: 6, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 5, fanIn: 3, outputBits: 2, shape: PartitionShape(width: 4, depth: 3, skip: 2)),
                LayerSpec(partitions: 3, fanIn: 3, outputBits: 3, shape: PartitionShape(width: 1, depth: 1, skip: 0)),
            ], seed: 5)
    }

    /// `blobsSpec` with an additive head: k partitions per class in the last layer.
    static func groupedBlobsSpec(partitionsPerClass k: Int = 2) -> NetworkSpec {
        var spec = blobsSpec()
        spec.layers[2].partitions = spec.classes * k
        spec.partitionsPerClass = k
        return spec
    }
}
