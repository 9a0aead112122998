import Diagnostics
/// A wire of a LUT netlist: a constant, a primary input (an address bit of
/// the table) or the output of a LUT of the same netlist.
public enum Signal: Hashable, Sendable {
    case constant(Bool)
    /// Address bit `i` of the table (bit 0 is the least significant).
    case input(Int)
    /// Output of `LUTNetlist.luts[i]`.
    case lut(Int)
}

/// A look-up table of at most six inputs, as a Xilinx LUT6 holds it.
public struct LUT: Hashable, Sendable {
    /// Input pins I0, I1, … in order; at most six.
    public var inputs: [Signal]
    /// Output for each input combination: bit `i` is the value when
    /// `I0 + 2·I1 + 4·I2 + …` equals `i` (the Xilinx `INIT` convention).
    /// Only the low `2^inputs.count` bits are used; the rest are zero.
    public var initBits: UInt64

    public init(inputs: [Signal], initBits: UInt64) {
        precondition(inputs.count <= LUT.maximumInputs, "a LUT has at most \(LUT.maximumInputs) inputs")
        self.inputs = inputs
        self.initBits = inputs.count == LUT.maximumInputs ? initBits : initBits & ((1 << (1 << inputs.count)) - 1)
    }

    public static let maximumInputs = 6

    /// The output for the input values packed in `index` (I0 in bit 0).
    @inlinable
    public func output(_ index: Int) -> Bool { (initBits >> UInt64(index)) & 1 == 1 }
}

/// The mapped logic of one truth table: LUTs in topological order (every LUT
/// reads only inputs, constants and earlier LUTs) and one signal per output bit.
public struct LUTNetlist: Hashable, Sendable {
    /// Address bits of the table this netlist implements.
    public var inputCount: Int
    public var luts: [LUT]
    /// Output bit `b` of the table (bit 0 is the least significant).
    public var outputs: [Signal]

    public init(inputCount: Int, luts: [LUT], outputs: [Signal]) throws {
        for (index, lut) in luts.enumerated() {
            for signal in lut.inputs { try Self.check(signal, inputCount: inputCount, lutsBefore: index) }
        }
        for signal in outputs { try Self.check(signal, inputCount: inputCount, lutsBefore: luts.count) }
        self.inputCount = inputCount
        self.luts = luts
        self.outputs = outputs
    }

    private static func check(_ signal: Signal, inputCount: Int, lutsBefore: Int) throws {
        switch signal {
        case .constant: return
        case .input(let i) where (0..<inputCount).contains(i): return
        case .lut(let i) where (0..<lutsBefore).contains(i): return
        default: throw SynthesisError("netlist signal \(signal) refers to a missing input or a later LUT")
        }
    }

    /// Output code for table address `address` (bit `i` drives input `i`).
    public func evaluate(address: Int) -> UInt16 {
        var values = [Bool](repeating: false, count: luts.count)
        return evaluate(address: address, scratch: &values)
    }

    /// `evaluate(address:)` reusing `scratch` (at least `luts.count` long)
    /// for the LUT outputs, so checking every address allocates once.
    public func evaluate(address: Int, scratch values: inout [Bool]) -> UInt16 {
        func value(_ signal: Signal) -> Bool {
            switch signal {
            case .constant(let bit): return bit
            case .input(let i): return (address >> i) & 1 == 1
            case .lut(let i): return values[i]
            }
        }
        for (index, lut) in luts.enumerated() {
            var pins = 0
            for (pin, signal) in lut.inputs.enumerated() where value(signal) { pins |= 1 << pin }
            values[index] = lut.output(pins)
        }
        var code: UInt16 = 0
        for (bit, signal) in outputs.enumerated() where value(signal) { code |= 1 << UInt16(bit) }
        return code
    }

    /// Which `initBits` bit of `luts[lut]` is read at table address `address`.
    func initIndex(ofLUT lut: Int, address: Int) -> Int {
        var values = [Bool](repeating: false, count: luts.count)
        _ = evaluate(address: address, scratch: &values)
        var pins = 0
        for (pin, signal) in luts[lut].inputs.enumerated() {
            let high: Bool
            switch signal {
            case .constant(let bit): high = bit
            case .input(let i): high = (address >> i) & 1 == 1
            case .lut(let i): high = values[i]
            }
            if high { pins |= 1 << pin }
        }
        return pins
    }
}

/// Why a table could not be mapped or a netlist is wrong.
public struct SynthesisError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// ABC or the mapped netlist failed (exit 1).
extension SynthesisError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
