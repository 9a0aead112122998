import Datasets
import Testing
@testable import NeuraLUT

@Suite struct InputActivityTests {
    /// Columns: constant, sparse (1 in a quarter of rows), dense binary (max most common), continuous.
    static func data() -> Dataset {
        let rows = 40
        var x: [Float] = []
        for r in 0..<rows {
            x += [3, r % 4 == 0 ? 1 : 0, r % 5 == 0 ? 0 : 1, Float(r) * 0.37]
        }
        return Dataset(
            features: x, labels: .init(repeating: 0, count: rows), rows: rows, columns: 4, classes: 2,
            featureNames: ["constant", "sparse", "dense", "continuous"])
    }

    @Test func measuresTheShareAwayFromTheCommonExtreme() {
        let activity = InputActivity.measure(Self.data(), rows: Array(0..<40))
        #expect(activity[0] == 0)
        #expect(activity[1] == 0.25)
        #expect(abs(activity[2] - 0.2) < 1e-12)
        #expect(activity[3] == 1 - 1.0 / 40)
        // Only the given rows count: rows 0, 4, 8 … all have sparse = 1.
        #expect(InputActivity.measure(Self.data(), rows: Array(stride(from: 0, to: 40, by: 4)))[1] == 0)
    }

    @Test func selectsAboveTheThresholdWithAFloorOfMostActive() {
        let activity = [0, 0.25, 0.2, 0.975]
        #expect(InputActivity.select(activity, above: 0, minimum: 2) == [1, 2, 3])
        #expect(InputActivity.select(activity, above: 0.22, minimum: 2) == [1, 3])
        #expect(InputActivity.select(activity, above: 0.5, minimum: 3) == [1, 2, 3])
        #expect(InputActivity.select([0, 0, 0], above: 0, minimum: 2) == [0, 1])
    }

    @Test func firstLayerDrawsOnlyFromTheChosenFeatures() {
        let spec = NetworkSpec(
            inputFeatures: 10, inputBits: 2, classes: 2,
            layers: [
                LayerSpec(partitions: 20, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 2, fanIn: 5, outputBits: 2, shape: .neuraLUT(width: 4)),
            ], seed: 3)
        #expect(Connectivity.random(for: spec) == Connectivity.random(for: spec, inputFeatures: Array(0..<10)))
        let chosen = [1, 4, 5, 8]
        let wiring = Connectivity.random(for: spec, inputFeatures: chosen)
        #expect(wiring.inputs[0].allSatisfy { Set($0).isSubset(of: chosen) && $0 == $0.sorted() && Set($0).count == 3 })
        #expect(wiring.inputs[1] == Connectivity.random(for: spec).inputs[1])
    }

    @Test func trainerLeavesConstantFeaturesUnwired() throws {
        let base = Fixtures.blobs()
        // Append a constant column to the blobs.
        var x: [Float] = []
        for r in 0..<base.rows { x += base.features[r * base.columns..<(r + 1) * base.columns] + [7] }
        let data = Dataset(
            features: x, labels: base.labels, rows: base.rows, columns: base.columns + 1, classes: base.classes,
            featureNames: base.featureNames + ["constant"])
        var spec = Fixtures.blobsSpec()
        spec.inputFeatures = data.columns
        spec.layers[0].partitions = 30
        let trainer = try Trainer(spec: spec, config: TrainingConfig(epochs: 1, batchSize: 32), data: data)
        #expect(!trainer.connectivity.inputs[0].joined().contains(base.columns))
        #expect(trainer.connectivity == Connectivity.draw(for: spec, data: data, rows: trainer.trainRows, minInputActivity: 0))
        #expect(Connectivity.random(for: spec).inputs[0].joined().contains(base.columns))
    }
}
