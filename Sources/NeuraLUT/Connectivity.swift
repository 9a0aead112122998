/// Which previous-layer outputs each partition reads: `inputs[layer][partition]`
/// is a sorted list of `fanIn` distinct indices. Fixed before training.
public struct Connectivity: Hashable, Codable, Sendable {
    public var inputs: [[[Int]]]

    public init(inputs: [[[Int]]]) {
        self.inputs = inputs
    }

    /// Seeded random, balanced connectivity. Each layer deals its partitions'
    /// inputs from its own stream, out of a deck of shuffled copies of the
    /// candidates, so every candidate is read about `partitions · fanIn /
    /// candidates` times (the counts differ by at most two) and none is left
    /// unread while another is read more often. Independent draws leave about
    /// 10% of mnist-5l's first-layer partitions unread by the second layer,
    /// which wastes their tables. Changing one layer leaves the other layers'
    /// wiring untouched. Layer 0 draws from `inputFeatures` (sorted; nil: all
    /// features), e.g. `InputActivity.select`'s choice.
    public static func random(for spec: NetworkSpec, inputFeatures: [Int]? = nil) -> Connectivity {
        random(seed: spec.seed, layers: spec.layers.map(LayerWiring.init), inputFeatures: inputFeatures ?? Array(0..<spec.inputFeatures))
    }

    /// The same draw from exactly what it depends on: the seed, each layer's
    /// partitions and fan-in, and the features layer 0 may read.
    public static func random(seed: UInt64, layers wiring: [LayerWiring], inputFeatures: [Int]) -> Connectivity {
        var layers: [[[Int]]] = []
        for (l, layer) in wiring.enumerated() {
            let candidates = l == 0 ? inputFeatures : Array(0..<wiring[l - 1].partitions)
            precondition(layer.fanIn <= candidates.count, "fan-in larger than the inputs to choose from")
            var deck = Deck(cards: candidates, rng: SeededRandom(seed: seed, stream: 0xC0DE, UInt64(l)))
            layers.append((0..<layer.partitions).map { _ in deck.deal(layer.fanIn).sorted() })
        }
        return Connectivity(inputs: layers)
    }
}

extension Connectivity {
    /// `result[layer][partition]`: whether some output port depends on the
    /// partition. The last layer's partitions are the outputs; an earlier
    /// partition counts when a counting partition of the next layer reads it.
    public func partitionsReachingAnOutput(layerSizes: [Int]) -> [[Bool]] {
        var live = layerSizes.map { [Bool](repeating: false, count: $0) }
        guard let last = layerSizes.indices.last else { return live }
        live[last] = [Bool](repeating: true, count: layerSizes[last])
        for layer in stride(from: last, to: 0, by: -1) {
            for (partition, reads) in inputs[layer].enumerated() where live[layer][partition] {
                for input in reads where input < layerSizes[layer - 1] { live[layer - 1][input] = true }
            }
        }
        return live
    }

    /// The input features some partition of layer 0 reads: the only ones whose codes the
    /// network needs (the input encoder compares no other).
    public var readFeatures: Set<Int> { Set((inputs.first ?? []).joined()) }

    /// Per layer but the last: how many of its outputs no partition of the
    /// next layer reads (0 where all are read).
    public func unreadOutputs(layerSizes: [Int]) -> [Int] {
        layerSizes.indices.dropLast().map { layer in
            let read = Set(inputs[layer + 1].joined())
            return (0..<layerSizes[layer]).filter { !read.contains($0) }.count
        }
    }
}

/// What a layer's wiring depends on: how many partitions read how many inputs each.
public struct LayerWiring: Hashable, Codable, Sendable {
    public var partitions: Int
    public var fanIn: Int

    public init(partitions: Int, fanIn: Int) {
        self.partitions = partitions
        self.fanIn = fanIn
    }

    public init(_ layer: LayerSpec) {
        self.init(partitions: layer.partitions, fanIn: layer.fanIn)
    }
}

/// Shuffled copies of a set of cards, dealt from the top in hands of distinct cards.
struct Deck {
    let cards: [Int]
    var rng: SeededRandom
    var pile: [Int] = []

    init(cards: [Int], rng: SeededRandom) {
        self.cards = cards
        self.rng = rng
    }

    /// `count` distinct cards (`count ≤ cards.count`); a card already in the
    /// hand stays in the pile for the next hand.
    mutating func deal(_ count: Int) -> [Int] {
        var hand: [Int] = []
        while hand.count < count {
            if let i = pile.lastIndex(where: { !hand.contains($0) }) {
                hand.append(pile.remove(at: i))
            } else {
                pile.insert(contentsOf: shuffledCopy(), at: 0)
            }
        }
        return hand
    }

    private mutating func shuffledCopy() -> [Int] {
        var copy = cards
        rng.shuffle(&copy)
        return copy
    }
}
