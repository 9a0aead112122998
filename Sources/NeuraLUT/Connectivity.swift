/// Which previous-layer outputs each partition reads: `inputs[layer][partition]`
/// is a sorted list of `fanIn` distinct indices. Fixed before training.
public struct Connectivity: Hashable, Codable, Sendable {
    public var inputs: [[[Int]]]

    public init(inputs: [[[Int]]]) {
        self.inputs = inputs
    }

    /// Seeded random connectivity: every partition draws its inputs from its
    /// own stream, so changing one layer's fan-in leaves other layers' wiring
    /// untouched.
    public static func random(for spec: NetworkSpec) -> Connectivity {
        var layers: [[[Int]]] = []
        for (l, layer) in spec.layers.enumerated() {
            let width = spec.inputWidth(ofLayer: l)
            precondition(layer.fanIn <= width, "fan-in larger than previous layer")
            var partitions: [[Int]] = []
            for p in 0..<layer.partitions {
                var rng = SeededRandom(seed: spec.seed, stream: 0xC0DE, UInt64(l), UInt64(p))
                // Partial Fisher-Yates: the first fanIn entries of a shuffled range.
                var pool = Array(0..<width)
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
