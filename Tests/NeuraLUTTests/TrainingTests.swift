import Datasets
import Foundation
import Testing
@testable import NeuraLUT

@Suite struct TrainingTests {
    @Test func learnsXorPerfectly() throws {
        let data = Fixtures.xor()
        let outcome = try Trainer(spec: Fixtures.xorSpec(), config: Fixtures.xorConfig(), data: data).run()
        #expect(outcome.completed)
        #expect(outcome.log.epochs.count == 30)
        let accuracy = quantizedAccuracy(network: outcome.network, data: data)
        #expect(accuracy == 1.0, "quantized XOR accuracy \(accuracy)")
    }

    @Test func sameWeightsWhateverTheThreadCount() throws {
        let data = Fixtures.blobs()
        let one = try Trainer(spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32, threads: 1), data: data).run()
        // Workers claim partitions dynamically, so 2 and 3 threads split the work differently on every run.
        for threads in [2, 3] {
            let many = try Trainer(
                spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32, threads: threads), data: data
            ).run()
            #expect(one.network == many.network, "\(threads) threads")
        }
        let other = try Trainer(
            spec: {
                var s = Fixtures.blobsSpec()
                s.seed = 9
                return s
            }(),
            config: TrainingConfig(epochs: 2, batchSize: 32, threads: 1), data: data
        ).run()
        #expect(other.network != one.network)
    }

    /// Kept hidden activations and recomputed ones are the same bits, so the budget that picks
    /// between them never changes a result; batches of 300 span three tiles, the last one short.
    @Test func keptHiddenActivationsGiveTheSameWeightsAsRecomputedOnes() throws {
        let data = Fixtures.blobs(rows: 700)
        func train(budget: Int) throws -> TrainingOutcome {
            let trainer = try Trainer(
                spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 300, validationFraction: 0.1, threads: 2),
                data: data, hiddenBudget: budget)
            #expect(trainer.buffers.hidden.contains { $0.count > 0 } == (budget > 0))
            return try trainer.run()
        }
        let recomputed = try train(budget: 0), kept = try train(budget: .max)
        #expect(kept.network == recomputed.network)
        // Partial retraining: the frozen partitions' hidden activations take the same two roads.
        var changed = Fixtures.blobsSpec()
        changed.layers[1].shape.width = 6
        let retrain = Set((0..<changed.layers[1].partitions).map { PartitionID(layer: 1, index: $0) })
        func retrained(budget: Int) throws -> TrainedNetwork {
            try Trainer(
                spec: changed, config: TrainingConfig(epochs: 1, batchSize: 300, threads: 2), data: data,
                initial: recomputed.network, trainable: retrain, hiddenBudget: budget
            ).run().network
        }
        #expect(try retrained(budget: .max) == retrained(budget: 0))
    }

    /// The additive head's sums are taken in partition order, so they too never depend on the thread count.
    @Test func groupedHeadGivesSameWeightsWhateverTheThreadCount() throws {
        let data = Fixtures.blobs()
        let spec = Fixtures.groupedBlobsSpec(partitionsPerClass: 2)
        let one = try Trainer(spec: spec, config: TrainingConfig(epochs: 2, batchSize: 32, threads: 1), data: data).run()
        #expect(one.completed)
        #expect(one.network.spec.partitionsPerClass == 2)
        for threads in [2, 3] {
            let many = try Trainer(spec: spec, config: TrainingConfig(epochs: 2, batchSize: 32, threads: threads), data: data).run()
            #expect(one.network == many.network, "\(threads) threads")
        }
        // k = 2 trains another network than k = 1 on the same data.
        let plain = try Trainer(spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32, threads: 1), data: data).run()
        #expect(plain.network.spec.layers[2].partitions == 3 && one.network.spec.layers[2].partitions == 6)
    }

    /// With k = 3 partitions per class the network still learns XOR (the logits are the sums of each class's outputs).
    @Test func groupedHeadLearnsXor() throws {
        let data = Fixtures.xor()
        var spec = Fixtures.xorSpec()
        spec.layers[1].partitions = 6
        spec.partitionsPerClass = 3
        let outcome = try Trainer(spec: spec, config: Fixtures.xorConfig(), data: data).run()
        let accuracy = quantizedAccuracy(network: outcome.network, data: data)
        #expect(accuracy >= 0.95, "quantized XOR accuracy with 3 partitions per class \(accuracy)")
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let data = Fixtures.blobs()
        let config = TrainingConfig(epochs: 3, batchSize: 32, threads: 2)
        let straight = try Trainer(spec: Fixtures.blobsSpec(), config: config, data: data).run()

        let first = try Trainer(spec: Fixtures.blobsSpec(), config: config, data: data)
        let calls = Counter()
        let stopped = try first.run(shouldStop: { calls.increment() > 11 })
        #expect(!stopped.completed)
        let bytes = try first.checkpoint()
        let resumed = try Trainer(resumingFrom: bytes, data: data).run()
        #expect(resumed.completed)
        #expect(resumed.network == straight.network)
        #expect(resumed.log.epochs.map(\.loss) == straight.log.epochs.map(\.loss))
        #expect(resumed.log.bestEpoch == straight.log.bestEpoch)
    }

    /// On a tiny validation set many epochs tie; the latest of them is kept (the most trained).
    @Test func tiedValidationAccuracyKeepsTheLatestEpoch() throws {
        let data = Fixtures.blobs()
        let validation = Dataset(
            features: Array(data.features[0..<(3 * data.columns)]), labels: Array(data.labels[0..<3]),
            rows: 3, columns: data.columns, classes: data.classes, featureNames: data.featureNames)
        let outcome = try Trainer(
            spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 8, batchSize: 32, threads: 1),
            data: data, validation: validation
        ).run()
        let accuracies = outcome.log.epochs.map { $0.validationAccuracy ?? -1 }
        let best = accuracies.max() ?? -1
        #expect(accuracies.filter { $0 == best }.count >= 2, "the test needs tied epochs: \(accuracies)")
        #expect(outcome.log.bestEpoch == (accuracies.lastIndex(of: best) ?? -1) + 1, "\(accuracies)")
    }

    @Test func partialRetrainingFreezesOtherPartitions() throws {
        let data = Fixtures.blobs()
        let spec = Fixtures.blobsSpec()
        let base = try Trainer(spec: spec, config: TrainingConfig(epochs: 1, batchSize: 32), data: data).run().network
        var changed = spec
        changed.layers[1].shape.width = 6
        let retrain = Set((0..<changed.layers[1].partitions).map { PartitionID(layer: 1, index: $0) })
        let after = try Trainer(
            spec: changed, config: TrainingConfig(epochs: 1, batchSize: 32), data: data,
            initial: base, trainable: retrain
        ).run().network
        #expect(after.partitions[0] == base.partitions[0])
        #expect(after.partitions[2] == base.partitions[2])
        #expect(after.quantizers == base.quantizers)
        #expect(after.partitions[1][0].shape.width == 6)
        #expect(
            tabulate(partition: PartitionID(layer: 0, index: 2), of: after)
                == tabulate(partition: PartitionID(layer: 0, index: 2), of: base))
        // Fresh init of a retrained partition depends only on its own stream.
        let fresh = PartitionWeights.initial(fanIn: 3, shape: changed.layers[1].shape, seed: spec.seed, layer: 1, partition: 0)
        #expect(fresh == PartitionWeights.initial(fanIn: 3, shape: changed.layers[1].shape, seed: spec.seed, layer: 1, partition: 0))
        #expect(after.partitions[1][0] != fresh)
    }

    @Test func resumedPartialRunEqualsUninterruptedPartialRun() throws {
        let data = Fixtures.blobs()
        let spec = Fixtures.blobsSpec()
        let config = TrainingConfig(epochs: 2, batchSize: 32)
        let base = try Trainer(spec: spec, config: TrainingConfig(epochs: 1, batchSize: 32), data: data).run().network
        let retrain: Set = [PartitionID(layer: 0, index: 1), PartitionID(layer: 2, index: 0)]
        let straight = try Trainer(spec: spec, config: config, data: data, initial: base, trainable: retrain).run()
        let first = try Trainer(spec: spec, config: config, data: data, initial: base, trainable: retrain)
        let calls = Counter()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("neuralut-partial-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try !first.run(shouldStop: { calls.increment() > 9 }, checkpoint: url).completed)
        let resumed = try Trainer.resume(checkpoint: url, data: data).run()
        #expect(resumed.network == straight.network)
        #expect(resumed.network.partitions[1] == base.partitions[1])
        #expect(resumed.network.partitions[0][1] != base.partitions[0][1])
    }

    @Test func checkpointIsNotResumedOnOtherData() throws {
        let data = Fixtures.blobs()
        let trainer = try Trainer(spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32), data: data)
        _ = try trainer.run(shouldStop: { true })
        let bytes = try trainer.checkpoint()
        var other = data
        other.features[5] += 1
        #expect(throws: FormatError.self) { try Trainer(resumingFrom: bytes, data: other) }
        _ = try Trainer(resumingFrom: bytes, data: data)
    }

    @Test func badInputIsReportedNotCrashed() throws {
        var data = Fixtures.xor(rows: 20)
        data.features[5] = .nan
        #expect(throws: SpecError.self) { try Trainer(spec: Fixtures.xorSpec(), config: Fixtures.xorConfig(), data: data) }
        var spec = Fixtures.xorSpec()
        spec.layers[1].fanIn = 9
        #expect(throws: SpecError.self) { try Trainer(spec: spec, config: Fixtures.xorConfig(), data: Fixtures.xor(rows: 20)) }
        var wiring = Connectivity.random(for: Fixtures.xorSpec())
        wiring.inputs[1][0].removeLast()
        #expect(throws: SpecError.self) {
            try Trainer(spec: Fixtures.xorSpec(), config: Fixtures.xorConfig(), data: Fixtures.xor(rows: 20), connectivity: wiring)
        }
        var config = Fixtures.xorConfig()
        config.minInputActivity = 1
        #expect(throws: SpecError.self) { try Trainer(spec: Fixtures.xorSpec(), config: config, data: Fixtures.xor(rows: 20)) }
    }
}

/// A thread-safe call counter for `shouldStop`.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
