import HDLNames
import NeuraLUT

/// Where every field sits in the AXI4-Stream words: the one rule the top
/// module, the testbench, the IP-XACT bus interfaces and the docs use.
/// AXI4-Stream counts `tdata` in whole bytes, so each field starts on a byte
/// and the words are rounded up to bytes with zero padding.
public struct AXISLayout: Hashable, Codable, Sendable {
    /// A field of a `tdata` word: bits `[8*byteOffset + bits - 1 : 8*byteOffset]`.
    public struct Field: Hashable, Codable, Sendable {
        public var name: String
        public var byteOffset: Int
        public var bits: Int
        public var description: String

        public var lowBit: Int { 8 * byteOffset }
        /// The Verilog part-select of this field, e.g. `[11:8]`.
        public var range: String { "[\(lowBit + bits - 1):\(lowBit)]" }
    }

    /// `s_axis_tdata`: the input codes from byte 0.
    public var input: Field
    /// `m_axis_tdata`: the output codes (named `scores`: the class scores, with k
    /// partitions per class) from byte 0, then `out_class` from the next whole byte.
    public var codes: Field
    public var outClass: Field?
    public var slaveBytes: Int
    public var masterBytes: Int
    /// Width of `tuser` on both sides; 0: no `tuser` ports.
    public var userBits: Int
    /// The widest `tuser` offered (`StreamPorts.maximumUserBits`).
    public static let maximumUserBits = StreamPorts.maximumUserBits

    /// `rawFormat`: with the input encoder, `s_axis_tdata` carries raw feature values in this format.
    public init(spec: NetworkSpec, argmax: Bool, userBits: Int, rawFormat: FixedPointFormat? = nil) {
        let inBits = spec.inputBits
        let outputs = spec.scoreCount
        input =
            rawFormat.map { format in
                Field(
                    name: "features", byteOffset: 0, bits: spec.inputFeatures * format.bits,
                    description: VerilogEmitter.rawInputDescription(features: spec.inputFeatures, format: format))
            }
            ?? Field(
                name: "codes", byteOffset: 0, bits: spec.inputFeatures * inBits,
                description:
                    "\(spec.inputFeatures) input codes of \(inBits) bits, feature i at bits [i*\(inBits) +: \(inBits)], signed"
                    + " offset binary (value = code - \(1 << (inBits - 1)))"
            )
        codes = Field(
            name: spec.partitionsPerClass > 1 ? "scores" : "codes", byteOffset: 0, bits: outputs * spec.scoreBits,
            description: VerilogEmitter.outputDataDescription(spec).replacingOccurrences(of: " at [", with: " at bits ["))
        let codeBytes = Self.bytes(codes.bits)
        outClass =
            argmax
            ? Field(
                name: "class", byteOffset: codeBytes, bits: indexBits(outputs),
                description: VerilogEmitter.classDescription(partitionsPerClass: spec.partitionsPerClass))
            : nil
        slaveBytes = Self.bytes(input.bits)
        masterBytes = codeBytes + (outClass.map { Self.bytes($0.bits) } ?? 0)
        self.userBits = userBits
    }

    public var slaveBits: Int { 8 * slaveBytes }
    public var masterBits: Int { 8 * masterBytes }
    /// `m_axis_tdata`'s fields, lowest first.
    public var masterFields: [Field] { [codes] + (outClass.map { [$0] } ?? []) }

    /// Whole bytes holding `bits` (at least one: AXI4-Stream has no empty `tdata`).
    static func bytes(_ bits: Int) -> Int { max(1, (bits + 7) / 8) }

    /// The byte layout in words, for the generated header comment and docs.
    public var lines: [String] {
        func describe(_ field: Field) -> String {
            let end = field.byteOffset + Self.bytes(field.bits) - 1
            let bytes = end == field.byteOffset ? "byte \(field.byteOffset)" : "bytes \(field.byteOffset)-\(end)"
            return "  \(bytes), bits \(field.range): \(field.name): \(field.description)"
        }
        var lines = ["s_axis_tdata (\(slaveBytes) bytes, TDATA_NUM_BYTES = \(slaveBytes)):", describe(input)]
        if input.bits < slaveBits { lines.append("  bits [\(slaveBits - 1):\(input.bits)]: padding, ignored") }
        lines.append("m_axis_tdata (\(masterBytes) bytes, TDATA_NUM_BYTES = \(masterBytes)):")
        var next = 0
        for field in masterFields {
            if field.lowBit > next { lines.append("  bits [\(field.lowBit - 1):\(next)]: padding, zero") }
            lines.append(describe(field))
            next = field.lowBit + field.bits
        }
        if next < masterBits { lines.append("  bits [\(masterBits - 1):\(next)]: padding, zero") }
        lines.append(
            userBits > 0
                ? "tlast and tuser (\(userBits) bits) leave with the result of the sample they came with."
                : "tlast leaves with the result of the sample it came with.")
        return lines
    }
}
