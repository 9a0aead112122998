import Datasets
import Testing
@testable import NeuraLUT

@Suite struct InputFrontEndTests {
    /// Features set (1) in about `share` of the rows, else 0; the label is whether more of the
    /// first half of the features are set than of the second half.
    static func sparse(rows: Int = 600, features: Int = 12, share: Double = 0.15, seed: UInt64 = 11) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Int32] = []
        for _ in 0..<rows {
            let row = (0..<features).map { _ in Double(rng.nextUnitFloat()) < share ? Float(1) : 0 }
            x += row
            let first = row[..<(features / 2)].reduce(0, +), second = row[(features / 2)...].reduce(0, +)
            y.append(first > second ? 1 : 0)
        }
        return Dataset(
            features: x, labels: y, rows: rows, columns: features, classes: 2, featureNames: (0..<features).map { "f\($0)" })
    }

    /// The codes of a feature set in 15% of the rows, with the front end's batch-norm at the
    /// feature's own mean and variance (as in the first training step).
    static func codes(centred: Bool) -> Set<UInt16> {
        var frontEnd = InputFrontEnd.initial(features: 1, bits: 1, centred: centred)
        frontEnd.mean = [0.15]
        frontEnd.variance = [0.15 * 0.85]
        return Set([0, 1].map { frontEnd.encoder.code(Float($0), feature: 0) })
    }

    /// Uncentred, the mean sits inside code 0 of the 1-bit range, and a feature set in
    /// fewer than half the rows gives that code in every row; centred, the codes split at the mean.
    @Test func centringSplitsASparseOneBitFeatureAtItsMean() {
        #expect(Self.codes(centred: false).count == 1)
        #expect(Self.codes(centred: true) == [0, 1])
    }

    @Test func theTrainerStartsFromTheConfiguredFrontEnd() throws {
        let spec = NetworkSpec(
            inputFeatures: 12, inputBits: 1, classes: 2,
            layers: [LayerSpec(partitions: 2, fanIn: 3, outputBits: 1, shape: .neuraLUT(width: 4))], seed: 3)
        for centred in [false, true] {
            let trainer = try Trainer(
                spec: spec, config: TrainingConfig(epochs: 1, centresInputs: centred, threads: 1), data: Self.sparse())
            let frontEnd = trainer.currentNetwork.quantizers.inputFrontEnd
            #expect(frontEnd.bias == InputFrontEnd.initial(features: 12, bits: 1, centred: centred).bias)
            #expect(frontEnd.bias.allSatisfy { $0 == (centred ? -frontEnd.scale / 2 : 0) })
        }
    }

    /// What centring is for: trained on sparse 1-bit features, the uncentred network ends with
    /// features that give one code on every training row (read by no table entry but one),
    /// the centred network with none.
    @Test func centredTrainingLeavesNoSparseFeatureConstant() throws {
        let data = Self.sparse()
        let spec = NetworkSpec(
            inputFeatures: 12, inputBits: 1, classes: 2,
            layers: [
                LayerSpec(partitions: 8, fanIn: 3, outputBits: 1, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 2, fanIn: 4, outputBits: 2, shape: .neuraLUT(width: 4)),
            ], seed: 3)
        func constantFeatures(centred: Bool) throws -> Int {
            let config = TrainingConfig(epochs: 4, batchSize: 32, learningRate: 1e-2, centresInputs: centred, threads: 1)
            let network = try Trainer(spec: spec, config: config, data: data).run().network
            let encoder = network.encoder
            return (0..<data.columns).filter { f in
                Set((0..<data.rows).map { encoder.code(data.features[$0 * data.columns + f], feature: f) }).count == 1
            }.count
        }
        let uncentred = try constantFeatures(centred: false), centred = try constantFeatures(centred: true)
        #expect(centred == 0)
        #expect(uncentred >= 6, "uncentred: \(uncentred) constant features")
    }
}
