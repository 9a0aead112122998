import Testing
@testable import ProjectFile

/// `init --data` sizes the starter network so every output of a layer is
/// read by the next: no partition is trained and mapped for nothing.
@Suite struct StarterSizingTests {
    @Test(arguments: [1, 2, 4, 13, 30, 64, 100, 257, 784, 3072])
    func everyLayerReadsAllOfThePreviousLayersOutputs(features: Int) {
        for classes in [2, 3, 10, 26, 100] {
            let sizing = StarterProject.Sizing(features: features, classes: classes, rows: 1000)
            let partitions = sizing.partitions
            #expect(partitions.last == classes)
            for layer in 1..<partitions.count {
                #expect(
                    partitions[layer] * sizing.fanIn >= partitions[layer - 1],
                    "\(features) features, \(classes) classes: \(partitions), fan-in \(sizing.fanIn)")
                #expect(partitions[layer - 1] >= sizing.fanIn, "\(partitions), fan-in \(sizing.fanIn)")
            }
        }
    }

    /// Breast cancer (30 features, 2 classes) was 32 → 16 → 2 with fan-in 6:
    /// the last layer read 12 of 16 hidden outputs.
    @Test func thirtyFeaturesTwoClassesHasNoUnreadHiddenOutputs() {
        let sizing = StarterProject.Sizing(features: 30, classes: 2, rows: 569)
        #expect(sizing.fanIn == 6)
        #expect(sizing.partitions == [32, 12, 2])
    }
}
