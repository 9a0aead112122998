import Testing
@testable import NeuraLUT

@Suite struct ConnectivityTests {
    let spec = NetworkSpec(
        inputFeatures: 16, inputBits: 4, classes: 5,
        layers: [
            LayerSpec(partitions: 32, fanIn: 3, outputBits: 4, shape: .neuraLUT(width: 8)),
            LayerSpec(partitions: 5, fanIn: 3, outputBits: 4, shape: .neuraLUT(width: 8)),
        ],
        seed: 1)

    /// A partition whose outputs only dead partitions read is dead too; a
    /// layer's unread outputs are those no partition of the next layer reads.
    @Test func partitionsNoOutputDependsOnAreFoundTransitively() {
        let wiring = Connectivity(inputs: [
            [[0], [1], [2], [3]],
            [[0, 1], [2], [3]],
            [[0], [0]],
        ])
        #expect(
            wiring.partitionsReachingAnOutput(layerSizes: [4, 3, 2]) == [
                [true, true, false, false], [true, false, false], [true, true],
            ])
        #expect(wiring.unreadOutputs(layerSizes: [4, 3, 2]) == [0, 2])
    }

    @Test func distinctSortedInRange() {
        let c = Connectivity.random(for: spec)
        for (l, layer) in c.inputs.enumerated() {
            for inputs in layer {
                #expect(inputs.count == spec.layers[l].fanIn)
                #expect(inputs == inputs.sorted())
                #expect(Set(inputs).count == inputs.count)
                #expect(inputs.allSatisfy { $0 >= 0 && $0 < spec.inputWidth(ofLayer: l) })
            }
        }
    }

    @Test func everyInputIsReadAboutEquallyOften() {
        for (partitions, width, fanIn) in [(32, 16, 3), (100, 256, 6), (256, 343, 6), (10, 10, 10), (7, 50, 3)] {
            let spec = NetworkSpec(
                inputFeatures: width, inputBits: 2, classes: 2,
                layers: [
                    LayerSpec(partitions: partitions, fanIn: fanIn, outputBits: 2, shape: .neuraLUT(width: 4))
                ], seed: 4)
            var reads = [Int](repeating: 0, count: width)
            for inputs in Connectivity.random(for: spec).inputs[0] {
                #expect(Set(inputs).count == fanIn && inputs == inputs.sorted())
                for u in inputs { reads[u] += 1 }
            }
            let total = partitions * fanIn
            #expect(reads.max()! - reads.min()! <= 2, "\(partitions)×\(fanIn) over \(width): reads \(reads.min()!)…\(reads.max()!)")
            if total >= width { #expect(reads.min()! >= 1) } else { #expect(reads.max()! == 1) }
        }
    }

    /// The assembly recipe in docs/project-file.md: when a layer's partitions ×
    /// fan-in equals the previous layer's partitions, each previous output is
    /// read exactly once, so every partition is the root of its own tree of
    /// leaves (a wide partition assembled from LUT-sized units).
    @Test func aLayerReadingEachOutputOnceFormsTrees() {
        let spec = NetworkSpec(
            inputFeatures: 64, inputBits: 2, classes: 4,
            layers: [
                LayerSpec(partitions: 48, fanIn: 4, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 16, fanIn: 3, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 8, fanIn: 2, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 4, fanIn: 2, outputBits: 2, shape: .neuraLUT(width: 4)),
            ], seed: 7)
        let wiring = Connectivity.random(for: spec)
        for l in 1..<spec.layers.count {
            let reads = wiring.inputs[l].flatMap { $0 }
            #expect(reads.sorted() == Array(0..<spec.layers[l - 1].partitions), "layer \(l) reads \(reads.sorted())")
        }
    }

    @Test func deterministicPerSeedAndIndependentPerLayer() {
        #expect(Connectivity.random(for: spec) == Connectivity.random(for: spec))
        var other = spec
        other.layers[1].fanIn = 2
        #expect(Connectivity.random(for: other).inputs[0] == Connectivity.random(for: spec).inputs[0])
        other = spec
        other.seed = 2
        #expect(Connectivity.random(for: other) != Connectivity.random(for: spec))
    }
}
