import DeterministicJSON
import Foundation
import NeuraLUT
import RTL

/// The hardware a design needs, added up from its mapped partitions by
/// lutbuild itself (seconds, no synthesis run): LUTs by size, flip-flops, LUT
/// levels per layer and between registers. The partitions' LUTs are exact
/// (the emitted netlists are what the FPGA implements); the argmax, written
/// behaviourally in the top module, is not included. With k partitions per
/// class the compressor trees of the class scores are counted by yosys and
/// included (`classScores`).
public struct MappedEstimate: Hashable, Codable, Sendable {
    public struct Layer: Hashable, Codable, Sendable {
        public var layer: Int
        public var partitions: Int
        /// `lutsBySize[k]` = LUTs with k inputs, k = 1…6 (index 0 unused).
        public var lutsBySize: [Int]
        public var luts: Int
        /// LUT levels of the deepest partition.
        public var levels: Int
        /// Flip-flops of the register stage on this layer's input (the bits
        /// some partition reads, plus the valid bit), 0 when unregistered.
        public var flipFlops: Int
        /// Partitions of this layer no output depends on (no later partition
        /// that matters reads them): counted in `luts`, removed by synthesis.
        public var unreadPartitions: Int?
        public var unreadLUTs: Int?
    }

    public var layers: [Layer]
    public var lutsBySize: [Int]
    public var luts: Int
    public var flipFlops: Int
    /// LUT levels on the longest register-to-register (or port) path
    /// through the layers.
    public var logicLevels: Int
    /// Cycles from input to output.
    public var latency: Int
    /// With don't-cares: the LUTs of the same partitions mapped exactly (nil without).
    public var exactLUTs: Int?
    /// Of `luts`, the LUTs in partitions no output depends on (their outputs
    /// are read by no later layer, directly or through other such partitions).
    /// `luts` counts every mapped partition; synthesis removes these, so
    /// `luts - unreadLUTs` is the logic that reaches an output. Nil in
    /// estimates written before lutbuild counted them.
    public var unreadLUTs: Int?
    public var unreadPartitions: Int?
    /// With `[rtl] input_encoder`: the comparators' cost, counted apart (not in `luts`).
    public var encoder: ModuleCost?
    /// With `model.partitions_per_class` above 1: the class scores' adder
    /// trees, counted by yosys and included in `luts` and `lutsBySize` (they
    /// are part of the network's logic; the encoder is an option on its port).
    public private(set) var classScores: ModuleCost?

    /// Adds the class scores' compressor trees to the total.
    public mutating func include(classScores cost: ModuleCost) {
        classScores = cost
        luts += cost.luts
        // Both sides of the don't-care saving count the same adders.
        exactLUTs = exactLUTs.map { $0 + cost.luts }
        for size in lutsBySize.indices where size < cost.lutsBySize.count { lutsBySize[size] += cost.lutsBySize[size] }
    }

    /// A module's cost by yosys' Xilinx synthesis of it alone: the input
    /// encoder (comparators against constants) and the class scores' adders
    /// are no truth tables lutbuild maps.
    public struct ModuleCost: Codable, Hashable, Sendable {
        public var luts: Int
        public var lutsBySize: [Int]
        public var carryChains: Int
        /// Cells on its longest input-to-output path.
        public var logicDepth: Int
        public var counter: String

        public init(luts: Int, lutsBySize: [Int], carryChains: Int, logicDepth: Int, counter: String) {
            self.luts = luts
            self.lutsBySize = lutsBySize
            self.carryChains = carryChains
            self.logicDepth = logicDepth
            self.counter = counter
        }
    }

    /// Adds up `netlists[layer][partition]` of `network` with `registers`.
    public init(network: LUTNetwork, netlists: [[LUTNetlist]], registers: RegisterPlacement) {
        self.init(
            spec: network.spec, connectivity: network.connectivity,
            statistics: netlists.map { $0.map(\.statistics) }, registers: registers)
    }

    /// The same from each partition's `NetlistStatistics`.
    public init(spec: NetworkSpec, connectivity: Connectivity, statistics: [[NetlistStatistics]], registers: RegisterPlacement) {
        var total = NetlistStatistics(), flipFlops = 0, segment = 0, deepest = 0
        let live = connectivity.partitionsReachingAnOutput(layerSizes: statistics.map(\.count))
        layers = []
        for (layer, partitions) in statistics.enumerated() {
            var sum = NetlistStatistics()
            for partition in partitions { sum.add(partition) }
            var registerBits = 0
            if registers.registersInput(ofLayer: layer) {
                registerBits = Set(connectivity.inputs[layer].joined()).count * spec.inputBits(ofLayer: layer) + 1
                segment = 0
            }
            segment += sum.levels
            deepest = max(deepest, segment)
            let unread = partitions.indices.filter { !live[layer][$0] }
            layers.append(
                Layer(
                    layer: layer, partitions: partitions.count, lutsBySize: sum.lutsBySize, luts: sum.luts,
                    levels: sum.levels, flipFlops: registerBits,
                    unreadPartitions: unread.count, unreadLUTs: unread.reduce(0) { $0 + partitions[$1].luts }))
            total.add(sum)
            flipFlops += registerBits
        }
        lutsBySize = total.lutsBySize
        luts = total.luts
        unreadLUTs = layers.reduce(0) { $0 + ($1.unreadLUTs ?? 0) }
        unreadPartitions = layers.reduce(0) { $0 + ($1.unreadPartitions ?? 0) }
        self.flipFlops = flipFlops
        logicLevels = deepest
        latency = registers.latency(layers: statistics.count)
    }

    /// Deterministic JSON (sorted keys).
    public func json() throws -> Data {
        try DeterministicJSON.file(self)
    }

    /// A short table for people.
    public var report: String {
        func sizes(_ counts: [Int]) -> String {
            (1...LUT.maximumInputs).reversed().map { "LUT\($0) \(counts[$0])" }.joined(separator: ", ")
        }
        var lines = [
            classScores == nil
                ? "Hardware of the mapped partitions (lutbuild's count, exact; the argmax is not included):"
                : "Hardware of the mapped partitions and the class scores' adders (the argmax is not included):"
        ]
        lines.append("  LUTs        \(luts)  (\(sizes(lutsBySize)))")
        if let classScores {
            lines.append(
                "  scores      \(classScores.luts) of these LUTs add the class scores (\(classScores.counter); \(classScores.carryChains)"
                    + " CARRY, depth \(classScores.logicDepth) cells)")
        }
        if let unreadLUTs, let unreadPartitions, unreadPartitions > 0 {
            lines.append(
                "  unread      \(unreadLUTs) of these LUTs are in \(unreadPartitions) partitions no output depends on; "
                    + "synthesis removes them (\(luts - unreadLUTs) LUTs reach an output)")
        }
        if let exactLUTs {
            lines.append("  exact       \(exactLUTs) LUTs with every table entry cared for (don't-cares save \(exactLUTs - luts))")
        }
        if let encoder {
            lines.append(
                "  encoder     \(encoder.luts) LUTs more for the input encoder (\(encoder.counter); \(encoder.carryChains)"
                    + " CARRY, depth \(encoder.logicDepth) cells), not in the total"
            )
        }
        lines.append("  FFs         \(flipFlops)")
        lines.append("  LUT levels  \(logicLevels) (register to register), latency \(latency) cycles")
        for layer in layers {
            let unread = (layer.unreadPartitions ?? 0) > 0 ? " (\(layer.unreadPartitions!) unread: \(layer.unreadLUTs ?? 0) LUTs)" : ""
            lines.append(
                "  layer \(layer.layer): \(layer.partitions) partitions\(unread), \(layer.luts) LUTs, \(layer.levels) levels,"
                    + " \(layer.flipFlops) FFs"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
