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

    /// The same images with two channels a pixel, the second the first's complement: the search's
    /// windows hold every channel of their pixels (`ImageGeometry`), inputs move, no partition
    /// reads a feature twice, and the moves still do not depend on threads.
    @Test func inputsMoveAmongEveryChannelOfTheWindow() throws {
        let plain = Self.images()
        var x: [Float] = []
        for r in 0..<plain.rows {
            for f in 0..<36 {
                let v = plain.features[r * 36 + f]
                x += [v, 1 - v]
            }
        }
        let data = Dataset(
            features: x, labels: plain.labels, rows: plain.rows, columns: 72, classes: 2,
            featureNames: (0..<72).map { "p\($0 / 2)c\($0 % 2)" })
        var spec = Self.spec
        spec.inputFeatures = 72
        let image = ImageGeometry(width: 6, channels: 2)
        func search(threads: Int) throws -> (drawn: Connectivity, searched: Connectivity) {
            let config = TrainingConfig(
                epochs: 8, batchSize: 32, learningRate: 1e-2, imageWidth: 6, imageChannels: 2, centresInputs: true,
                searchesWiring: true, threads: threads)
            let trainer = try Trainer(spec: spec, config: config, data: data)
            return (trainer.connectivity, try trainer.run().network.connectivity)
        }
        let (drawn, searched) = try search(threads: 1)
        var moved = 0
        for (before, after) in zip(drawn.inputs[0], searched.inputs[0]) {
            #expect(Set(after).count == after.count)
            for (old, new) in zip(before, after) where old != new {
                moved += 1
                let rows = abs(image.row(of: old) - image.row(of: new))
                let columns = abs(image.column(of: old) - image.column(of: new))
                #expect(max(rows, columns) <= 2 * WiringSearch.radius, "two moves, each within a window")
            }
        }
        #expect(moved > 0)
        #expect(Set(searched.inputs[0].joined().map(image.channel(of:))) == [0, 1])
        #expect(try search(threads: 3).searched == searched)
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
