import Testing
@testable import Datasets

/// A fixed generator for tests (the library takes any seeded generator).
struct CountingGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }
}

@Suite struct SplitAndNormalizationTests {
    let data = Dataset(
        features: (0..<20).map(Float.init), labels: (0..<10).map { Int32($0 % 2) }, rows: 10, columns: 2,
        classes: 2, featureNames: ["a", "b"])

    @Test func splitIsSeededDisjointAndComplete() {
        var g1 = CountingGenerator(state: 7), g2 = CountingGenerator(state: 7), g3 = CountingGenerator(state: 8)
        let (kept, held) = data.split(holdingOut: 0.3, using: &g1)
        #expect(held.rows == 3 && kept.rows == 7)
        let firsts = (kept.features + held.features).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        #expect(Set(firsts) == Set((0..<10).map { Float(2 * $0) }))
        #expect(data.split(holdingOut: 0.3, using: &g2) == (kept, held))
        #expect(data.split(holdingOut: 0.3, using: &g3).heldOut != held)
    }

    @Test func standardisationUsesOnlyTheFittingData() {
        let fitting = data.subset(rows: [0, 1, 2, 3])  // a = 0, 2, 4, 6
        let norm = FeatureNormalization.standard(fittedOn: fitting)
        let mapped = norm.apply(to: fitting)
        let a = stride(from: 0, to: 8, by: 2).map { mapped.features[$0] }
        #expect(abs(a.reduce(0, +)) < 1e-5)
        #expect(abs(a.map { $0 * $0 }.reduce(0, +) / 4 - 1) < 1e-5)
        // Applied unchanged to other rows: row 9 has a = 18 → (18 - 3) / sqrt(5).
        #expect(abs(norm.apply(to: data).row(9).first! - Float(15 / 5.0.squareRoot())) < 1e-5)
    }

    @Test func constantFeatureIsOnlyCentred() {
        let flat = Dataset(features: [3, 3, 3], labels: [0, 1, 0], rows: 3, columns: 1, classes: 2, featureNames: ["c"])
        #expect(FeatureNormalization.standard(fittedOn: flat).apply(to: flat).features == [0, 0, 0])
    }

    @Test func mnistPixelScaling() {
        let pixels = Dataset(features: [0, 255], labels: [0], rows: 1, columns: 2, classes: 1, featureNames: ["p0", "p1"])
        let out = FeatureNormalization.mnist(columns: 2).apply(to: pixels).features
        #expect(abs(out[0] - Float(-0.1307 / 0.3081)) < 1e-6)
        #expect(abs(out[1] - Float((1 - 0.1307) / 0.3081)) < 1e-5)
    }
}
