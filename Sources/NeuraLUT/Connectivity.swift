/// Which previous-layer outputs each partition reads: `inputs[layer][partition]`
/// is a sorted list of `fanIn` distinct indices. Fixed before training.
public struct Connectivity: Hashable, Codable, Sendable {
    public var inputs: [[[Int]]]

    public init(inputs: [[[Int]]]) {
        self.inputs = inputs
    }

    /// Seeded random connectivity: every partition draws its inputs from its
    /// own stream, so changing one layer's fan-in leaves other layers' wiring
    /// untouched. Layer 0 draws from `inputFeatures` (sorted; nil: all
    /// features), e.g. `InputActivity.select`'s choice.
    public static func random(for spec: NetworkSpec, inputFeatures: [Int]? = nil) -> Connectivity {
        var layers: [[[Int]]] = []
        for (l, layer) in spec.layers.enumerated() {
            let candidates = l == 0 ? inputFeatures ?? Array(0..<spec.inputFeatures) : Array(0..<spec.inputWidth(ofLayer: l))
            let width = candidates.count
            precondition(layer.fanIn <= width, "fan-in larger than the inputs to choose from")
            var partitions: [[Int]] = []
            for p in 0..<layer.partitions {
                var rng = SeededRandom(seed: spec.seed, stream: 0xC0DE, UInt64(l), UInt64(p))
                // Partial Fisher-Yates: the first fanIn entries of a shuffled range.
                var pool = candidates
                for i in 0..<layer.fanIn {
                    let j = i + rng.nextInt(below: width - i)
                    pool.swapAt(i, j)
                }
                partitions.append(pool[0..<layer.fanIn].sorted())
            }
            layers.append(partitions)
        }
        return Connectivity(inputs: layers)
    }
}
