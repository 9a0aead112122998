/// The shape of one partition's dense sub-network (docs/method.md).
///
/// `depth` linear layers of `width` hidden units, a skip connection every
/// `skip` layers. `depth == 1` is a LogicNets-style linear neuron;
/// `depth == 0` has no sub-network: the partition is a table learned
/// directly (`LearnedTable`), and its width and skip are 0, so editing them
/// changes no key.
public struct PartitionShape: Hashable, Codable, Sendable {
    public var width: Int
    public var depth: Int
    public var skip: Int

    public init(width: Int, depth: Int, skip: Int) {
        self.width = depth == 0 ? 0 : width
        self.depth = depth
        self.skip = depth == 0 ? 0 : skip
    }

    /// The partition is its own table, learned directly (`depth == 0`).
    public var isLearnedTable: Bool { depth == 0 }

    /// The published NeuraLUT block: 4 layers, skip every 2.
    public static func neuraLUT(width: Int) -> PartitionShape {
        PartitionShape(width: width, depth: 4, skip: 2)
    }
}

/// One layer of partitions.
public struct LayerSpec: Hashable, Codable, Sendable {
    /// Number of partitions (circuit-level neurons) in this layer.
    public var partitions: Int
    /// Inputs each partition reads from the previous layer's outputs.
    public var fanIn: Int
    /// Width of each partition's output code.
    public var outputBits: Int
    /// The dense sub-network inside every partition of this layer.
    public var shape: PartitionShape

    public init(partitions: Int, fanIn: Int, outputBits: Int, shape: PartitionShape) {
        self.partitions = partitions
        self.fanIn = fanIn
        self.outputBits = outputBits
        self.shape = shape
    }
}

/// A whole NeuraLUT network, independent of any file format.
///
/// Layer 0 reads the `inputFeatures` input codes of `inputBits` bits each;
/// layer `l > 0` reads layer `l-1`'s outputs. Hidden layers produce unsigned
/// codes, the last layer signed codes (stored in offset binary); the input
/// codes are signed (offset binary) too.
public struct NetworkSpec: Hashable, Codable, Sendable {
    public var inputFeatures: Int
    public var inputBits: Int
    public var classes: Int
    public var layers: [LayerSpec]
    /// Seeds connectivity and weight initialisation.
    public var seed: UInt64
    /// Stored only when above 1, so a network without the additive head
    /// encodes (and so keys) exactly as before it existed.
    private var groupedPartitionsPerClass: Int?

    /// k: the last layer's partitions each class owns, summed into its score
    /// (`ClassScores`); 1 is the plain argmax over the output codes.
    public var partitionsPerClass: Int {
        get { groupedPartitionsPerClass ?? 1 }
        set { groupedPartitionsPerClass = newValue == 1 ? nil : newValue }
    }

    /// Stored only when above 0, likewise.
    private var halfWeightTieBreakers: Int?

    /// t: of each class's k partitions, the last t count half as much as the
    /// others in its score (`ClassScores`), so with t = 1 that one partition
    /// decides only between classes whose other partitions tie.
    public var tieBreakers: Int {
        get { halfWeightTieBreakers ?? 0 }
        set { halfWeightTieBreakers = newValue == 0 ? nil : newValue }
    }

    private enum CodingKeys: String, CodingKey {
        case inputFeatures, inputBits, classes, layers, seed
        case groupedPartitionsPerClass = "partitionsPerClass"
        case halfWeightTieBreakers = "tieBreakers"
    }

    public init(
        inputFeatures: Int, inputBits: Int, classes: Int, layers: [LayerSpec], seed: UInt64, partitionsPerClass: Int = 1,
        tieBreakers: Int = 0
    ) {
        self.inputFeatures = inputFeatures
        self.inputBits = inputBits
        self.classes = classes
        self.layers = layers
        self.seed = seed
        self.partitionsPerClass = partitionsPerClass
        self.tieBreakers = tieBreakers
    }

    /// Bits of each code layer `layer` reads.
    public func inputBits(ofLayer layer: Int) -> Int {
        LayerSpec.inputBits(ofLayer: layer, in: layers, networkInputBits: inputBits)
    }

    /// Number of codes layer `layer` reads from.
    public func inputWidth(ofLayer layer: Int) -> Int {
        layer == 0 ? inputFeatures : layers[layer - 1].partitions
    }

    /// Address bits of one partition's truth table in layer `layer` (F·β_in).
    public func tableAddressBits(ofLayer layer: Int) -> Int {
        tableSpec(ofLayer: layer).addressBits
    }

    /// Whether layer `layer` produces signed codes (only the last does).
    public func isSigned(layer: Int) -> Bool {
        layer == layers.count - 1
    }

    /// What the tables of layer `layer` depend on besides weights and quantizers.
    public func tableSpec(ofLayer layer: Int) -> PartitionTableSpec {
        PartitionTableSpec(layer: layer, of: layers, networkInputBits: inputBits)
    }
}

extension LayerSpec {
    /// Bits of each code layer `layer` of `layers` reads: the network's input
    /// bits for layer 0, else the previous layer's output bits. The only
    /// place this rule is spelled; everything else asks here.
    public static func inputBits(ofLayer layer: Int, in layers: [LayerSpec], networkInputBits: Int) -> Int {
        layer == 0 ? networkInputBits : layers[layer - 1].outputBits
    }
}

/// Everything one partition's truth table depends on besides its weights
/// and the quantizers: where its layer sits and the widths of its codes.
/// The build keys a table on exactly this value.
public struct PartitionTableSpec: Hashable, Codable, Sendable {
    public var layer: Int
    public var fanIn: Int
    /// Bits of each input code (see `LayerSpec.inputBits(ofLayer:in:networkInputBits:)`).
    public var inputBits: Int
    public var outputBits: Int
    /// The last layer emits signed codes; the others unsigned.
    public var isLastLayer: Bool

    public init(layer: Int, fanIn: Int, inputBits: Int, outputBits: Int, isLastLayer: Bool) {
        self.layer = layer
        self.fanIn = fanIn
        self.inputBits = inputBits
        self.outputBits = outputBits
        self.isLastLayer = isLastLayer
    }

    /// Layer `layer` of a network with these layers and input bits.
    public init(layer: Int, of layers: [LayerSpec], networkInputBits: Int) {
        self.init(
            layer: layer, fanIn: layers[layer].fanIn,
            inputBits: LayerSpec.inputBits(ofLayer: layer, in: layers, networkInputBits: networkInputBits),
            outputBits: layers[layer].outputBits, isLastLayer: layer == layers.count - 1)
    }

    /// Address bits of the table (F·β_in).
    public var addressBits: Int { fanIn * inputBits }
}

/// Identifies one partition in a network.
public struct PartitionID: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public var layer: Int
    public var index: Int

    public init(layer: Int, index: Int) {
        self.layer = layer
        self.index = index
    }

    public static func < (a: PartitionID, b: PartitionID) -> Bool {
        (a.layer, a.index) < (b.layer, b.index)
    }

    /// `layer2/p17`, the name used in progress lines and step names.
    public var description: String { "layer\(layer)/p\(index)" }
}
