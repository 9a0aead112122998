import Datasets
import Testing
@testable import NeuraLUT

@Suite struct WiringSearchTests {
    /// 6 × 6 images of noise whose class is whether the pixels of the image's centre are
    /// mostly bright: the search has pixels worth moving to.
    static func images(rows: Int = 400, seed: UInt64 = 5) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Int32] = []
        for _ in 0..<rows {
            let row = (0..<36).map { _ in rng.nextUnitFloat() < 0.3 ? Float(1) : 0 }
            let centre = [14, 15, 20, 21].map { row[$0] }.reduce(0, +)
            x += row
            y.append(centre >= 2 ? 1 : 0)
        }
        return Dataset(features: x, labels: y, rows: rows, columns: 36, classes: 2, featureNames: (0..<36).map { "p\($0)" })
    }

    static let spec = NetworkSpec(
        inputFeatures: 36, inputBits: 1, classes: 2,
        layers: [
            LayerSpec(partitions: 12, fanIn: 3, outputBits: 1, shape: PartitionShape(width: 4, depth: 2, skip: 2)),
            LayerSpec(partitions: 2, fanIn: 6, outputBits: 2, shape: .neuraLUT(width: 4)),
        ], seed: 2)

    static func searched(threads: Int, searching: Bool = true) throws -> (drawn: Connectivity, searched: Connectivity) {
        let config = TrainingConfig(
            epochs: 8, batchSize: 32, learningRate: 1e-2, imageWidth: 6, centresInputs: true, searchesWiring: searching,
            threads: threads)
        let trainer = try Trainer(spec: spec, config: config, data: images())
        let drawn = trainer.connectivity
        return (drawn, try trainer.run().network.connectivity)
    }

    /// Inputs move within the drawn wiring's pixels; no partition reads a pixel twice; the
    /// layers above keep their wiring; and the moves are the same whatever the thread count.
    @Test func layerZerosInputsMoveTheSameOnAnyThreadCount() throws {
        let (drawn, searched) = try Self.searched(threads: 1)
        let moved = zip(drawn.inputs[0], searched.inputs[0]).map { zip($0, $1).filter { $0 != $1 }.count }.reduce(0, +)
        #expect(moved > 0)
        #expect(moved <= 8 / WiringSearch.period * Self.spec.layers[0].partitions)
        let allowed = Set(drawn.inputs[0].joined())
        #expect(searched.inputs[0].allSatisfy { Set($0).count == $0.count && Set($0).isSubset(of: allowed) })
        #expect(Array(searched.inputs.dropFirst()) == Array(drawn.inputs.dropFirst()))
        #expect(try Self.searched(threads: 3).searched == searched)
    }

    /// Stopped one batch before the move at epoch 4 (inputs moved at epoch 2; its sums under way), a search resumed
    /// from its checkpoint moves the same inputs and selects the same epoch with its wiring.
    @Test func aResumedSearchEqualsAnUninterruptedOne() throws {
        let config = TrainingConfig(
            epochs: 8, batchSize: 32, learningRate: 1e-2, imageWidth: 6, centresInputs: true, searchesWiring: true, threads: 2)
        let straight = try Trainer(spec: Self.spec, config: config, data: Self.images()).run()
        let first = try Trainer(spec: Self.spec, config: config, data: Self.images())
        let calls = Counter(), batches = first.batchesPerEpoch
        let stopped = try first.run(shouldStop: { calls.increment() >= 4 * batches - 1 })
        #expect(!stopped.completed)
        let drawn = try Trainer(spec: Self.spec, config: config, data: Self.images()).connectivity
        #expect(first.connectivity != drawn)
        let resumed = try Trainer(resumingFrom: try first.checkpoint(), data: Self.images()).run()
        #expect(resumed.completed)
        #expect(resumed.network == straight.network)
        #expect(resumed.log.epochs.map(\.loss) == straight.log.epochs.map(\.loss))
        #expect(resumed.log.bestEpoch == straight.log.bestEpoch)

        // Stopped just after the move at epoch 2: the selected network keeps the wiring it was selected with.
        let second = try Trainer(spec: Self.spec, config: config, data: Self.images())
        let secondCalls = Counter()
        _ = try second.run(shouldStop: { secondCalls.increment() > 2 * batches })
        try #require(second.best?.connectivity != second.connectivity, "the selected epoch precedes a move")
        #expect(try Trainer(resumingFrom: try second.checkpoint(), data: Self.images()).best == second.best)
    }

    @Test func withoutTheSearchTheWiringStays() throws {
        let (drawn, trained) = try Self.searched(threads: 1, searching: false)
        #expect(trained == drawn)
    }

    @Test func theSearchNeedsImagesAndTheWholeNetwork() throws {
        #expect(throws: SpecError.self) {
            try Trainer(spec: Self.spec, config: TrainingConfig(searchesWiring: true), data: Self.images())
        }
    }
}
