/// One partition after training: its whole function as a table.
///
/// `codes[address]` is the raw output bit pattern (signed outputs in offset
/// binary) for the input codes packed into `address`, the partition's first
/// connected input in the most significant bits (docs/method.md).
public struct TruthTable: Hashable, Codable, Sendable {
    /// Address width: fan-in × input bits.
    public let addressBits: Int
    public let outputBits: Int
    public var codes: [UInt16]

    public init(addressBits: Int, outputBits: Int, codes: [UInt16]) {
        precondition(codes.count == 1 << addressBits, "a table has 2^addressBits entries")
        self.addressBits = addressBits
        self.outputBits = outputBits
        self.codes = codes
    }
}

/// Maps raw feature values to the network's input codes: the trained input
/// front end (per-feature batch-norm, learned bias, signed quantizer) folded
/// into one affine map per feature.
///
/// `code = clamp(round(x * scale[f] + offset[f]), -2^(β-1), 2^(β-1)-1) + 2^(β-1)`
/// with round-half-to-even, in Float arithmetic. Software inference and the
/// exported thresholds both derive from this one definition.
public struct InputEncoder: Hashable, Codable, Sendable {
    public var bits: Int
    public var scale: [Float]
    public var offset: [Float]

    public init(bits: Int, scale: [Float], offset: [Float]) {
        precondition(scale.count == offset.count)
        self.bits = bits
        self.scale = scale
        self.offset = offset
    }

    /// Code (offset binary) of raw value `x` of feature `feature`.
    @inlinable
    public func code(_ x: Float, feature: Int) -> UInt16 {
        let half = Float(1 << (bits - 1))
        var v = (x * scale[feature] + offset[feature]).rounded(.toNearestOrEven)
        v = Swift.min(Swift.max(v, -half), half - 1)
        return UInt16(Int(v) + (1 << (bits - 1)))
    }

    /// Codes of one row of raw features.
    public func encode(_ row: some Collection<Float>) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(row.count)
        for (f, x) in row.enumerated() { out.append(code(x, feature: f)) }
        return out
    }
}

/// A network in its final form: spec, wiring and one table per partition.
/// Everything downstream of training (LUT inference, RTL) reads only this.
public struct LUTNetwork: Hashable, Codable, Sendable {
    public var spec: NetworkSpec
    public var connectivity: Connectivity
    /// `tables[layer][partition]`.
    public var tables: [[TruthTable]]
    public var encoder: InputEncoder

    public init(spec: NetworkSpec, connectivity: Connectivity, tables: [[TruthTable]], encoder: InputEncoder) {
        self.spec = spec
        self.connectivity = connectivity
        self.tables = tables
        self.encoder = encoder
    }
}
