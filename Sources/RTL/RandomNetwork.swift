import NeuraLUT

extension LUTNetwork {
    /// A network of `spec`'s shape whose tables hold seeded random codes and
    /// whose encoder maps roughly standardised features onto the codes: for
    /// testing and benchmarking the hardware path independently of training.
    public static func random(spec: NetworkSpec, seed: UInt64) -> LUTNetwork {
        let tables = spec.layers.indices.map { l in
            (0..<spec.layers[l].partitions).map { p in
                var rng = SeededRandom(seed: seed, stream: 0x7AB1E, UInt64(l), UInt64(p))
                let bits = spec.layers[l].outputBits
                let codes = (0..<(1 << spec.tableAddressBits(ofLayer: l))).map { _ in
                    UInt16(truncatingIfNeeded: rng.next() >> UInt64(64 - bits))
                }
                return TruthTable(addressBits: spec.tableAddressBits(ofLayer: l), outputBits: bits, codes: codes)
            }
        }
        let scale = Float(1 << (spec.inputBits - 1)) / 2
        let encoder = InputEncoder(
            bits: spec.inputBits,
            scale: Array(repeating: scale, count: spec.inputFeatures),
            offset: Array(repeating: 0, count: spec.inputFeatures))
        return LUTNetwork(spec: spec, connectivity: .random(for: spec), tables: tables, encoder: encoder)
    }
}
