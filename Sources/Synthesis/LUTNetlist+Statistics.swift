/// Size and depth of a netlist: what the hardware estimate adds up.
public struct NetlistStatistics: Hashable, Codable, Sendable {
    /// `lutsBySize[k]` = LUTs with `k` inputs, k = 1…6 (index 0 unused).
    public var lutsBySize: [Int]
    /// LUTs on the longest path from an input to an output (0 when every
    /// output is an input or a constant).
    public var levels: Int

    public var luts: Int { lutsBySize.reduce(0, +) }

    public init(lutsBySize: [Int] = [Int](repeating: 0, count: LUT.maximumInputs + 1), levels: Int = 0) {
        self.lutsBySize = lutsBySize
        self.levels = levels
    }

    /// Adds `other`'s LUTs; levels become the larger of the two (parallel
    /// blocks between the same registers).
    public mutating func add(_ other: NetlistStatistics) {
        for k in lutsBySize.indices { lutsBySize[k] += other.lutsBySize[k] }
        levels = max(levels, other.levels)
    }
}

extension LUTNetlist {
    public var statistics: NetlistStatistics {
        var result = NetlistStatistics()
        var depth = [Int](repeating: 0, count: luts.count)
        func level(_ signal: Signal) -> Int {
            if case .lut(let i) = signal { return depth[i] }
            return 0
        }
        for (index, lut) in luts.enumerated() {
            result.lutsBySize[lut.inputs.count] += 1
            depth[index] = 1 + (lut.inputs.map(level).max() ?? 0)
        }
        result.levels = outputs.map(level).max() ?? 0
        return result
    }
}
