import Datasets
import Testing
@testable import NeuraLUT

@Suite struct DistillationTests {
    /// Two classes by whether a row's first two features sum above 0.
    static func data(rows: Int = 300, seed: UInt64 = 3) -> Dataset {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Int32] = []
        for _ in 0..<rows {
            let row = (0..<8).map { _ in 2 * rng.nextUnitFloat() - 1 }
            x += row
            y.append(row[0] + row[1] > 0 ? 1 : 0)
        }
        return Dataset(features: x, labels: y, rows: rows, columns: 8, classes: 2, featureNames: (0..<8).map { "f\($0)" })
    }

    static let recipe = TeacherRecipe(seed: 4, hidden: 32, epochs: 15, batch: 32, learningRate: 1e-2)

    /// The teacher learns the data, and its logits are the same bits on any thread count.
    @Test func theTeacherLearnsAndIsTheSameOnAnyThreadCount() throws {
        let data = Self.data(), test = Self.data(rows: 200, seed: 9)
        let one = try #require(try Teacher.train(Self.recipe, data: data, test: test, threads: 1))
        #expect(one.logits.count == data.rows * 2)
        #expect(one.trainAccuracy > 0.95)
        #expect(try #require(one.testAccuracy) > 0.9)
        let three = try #require(try Teacher.train(Self.recipe, data: data, test: test, threads: 3))
        #expect(three.logits == one.logits)
        #expect(try Teacher.train(Self.recipe, data: data, shouldStop: { true }) == nil)
    }

    @Test func theTeachersHiddenUnitsComeInWholeVectors() {
        #expect(throws: SpecError.self) {
            try Teacher.train(TeacherRecipe(seed: 1, hidden: 20), data: Self.data())
        }
    }

    static let spec = NetworkSpec(
        inputFeatures: 8, inputBits: 2, classes: 2,
        layers: [
            LayerSpec(partitions: 6, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
            LayerSpec(partitions: 2, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
        ], seed: 2)

    /// A distilled run needs the teacher's logits of every training row, learns from them (its
    /// weights differ from the labels alone), and is the same bits on any thread count.
    @Test func aDistilledRunReadsTheTeachersLogits() throws {
        let data = Self.data()
        let teacher = try #require(try Teacher.train(Self.recipe, data: data, threads: 1)).logits
        func run(_ distillation: Float, threads: Int, teacher: [Float]?) throws -> TrainedNetwork {
            let config = TrainingConfig(epochs: 3, batchSize: 32, learningRate: 1e-2, distillation: distillation, threads: threads)
            return try Trainer(spec: Self.spec, config: config, data: data, teacher: teacher).run().network
        }
        #expect(throws: SpecError.self) { try run(0.5, threads: 1, teacher: nil) }
        #expect(throws: SpecError.self) { try run(0.5, threads: 1, teacher: Array(teacher.dropLast())) }
        let distilled = try run(0.5, threads: 1, teacher: teacher)
        #expect(try run(0.5, threads: 3, teacher: teacher) == distilled)
        #expect(try run(0, threads: 1, teacher: nil) != distilled)
        // Without distillation the teacher is ignored.
        #expect(try run(0, threads: 1, teacher: teacher) == run(0, threads: 1, teacher: nil))
    }

    @Test func distillationIsAWeightBelowOneAndNeedsUnshiftedImages() {
        #expect(throws: SpecError.self) { try TrainingConfig(distillation: 1).validate() }
        #expect(throws: SpecError.self) { try TrainingConfig(distillation: -0.1).validate() }
        #expect(throws: SpecError.self) {
            try TrainingConfig(imageWidth: 4, augmentShift: 1, distillation: 0.5).validate()
        }
        #expect(throws: Never.self) { try TrainingConfig(distillation: 0.9).validate() }
    }
}
