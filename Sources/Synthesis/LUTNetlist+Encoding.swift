extension LUTNetlist {
    /// Deterministic text form, one line per LUT, so a cached netlist is
    /// readable and equal netlists have equal bytes:
    ///
    ///     lutnetlist 1
    ///     inputs 12
    ///     lut <INIT hex> <input>…      (inputs: aN address bit, nN LUT, 0 / 1)
    ///     outputs <signal>…
    public func encoded() -> String {
        var lines = ["lutnetlist 1", "inputs \(inputCount)"]
        for lut in luts {
            lines.append((["lut", String(lut.initBits, radix: 16)] + lut.inputs.map(Self.token)).joined(separator: " "))
        }
        lines.append((["outputs"] + outputs.map(Self.token)).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    public init(decoding text: String) throws {
        var inputCount: Int?, luts: [LUT] = [], outputs: [Signal]?
        let lines = text.split(separator: "\n")
        guard lines.first == "lutnetlist 1" else { throw SynthesisError("not a lutnetlist 1 netlist") }
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ")
            switch fields.first {
            case "inputs"?:
                guard fields.count == 2, let count = Int(fields[1]), count >= 0 else { throw SynthesisError("netlist: bad line '\(line)'") }
                inputCount = count
            case "lut"?:
                guard fields.count >= 2, fields.count - 2 <= LUT.maximumInputs, let bits = UInt64(fields[1], radix: 16) else {
                    throw SynthesisError("netlist: bad line '\(line)'")
                }
                let lut = LUT(inputs: try fields.dropFirst(2).map(Self.signal), initBits: bits)
                guard lut.initBits == bits else { throw SynthesisError("netlist: INIT wider than its inputs in '\(line)'") }
                luts.append(lut)
            case "outputs"?:
                outputs = try fields.dropFirst().map(Self.signal)
            default:
                throw SynthesisError("netlist: bad line '\(line)'")
            }
        }
        guard let inputCount, let outputs else { throw SynthesisError("netlist: missing inputs or outputs line") }
        try self.init(inputCount: inputCount, luts: luts, outputs: outputs)
    }

    private static func token(_ signal: Signal) -> String {
        switch signal {
        case .constant(let value): return value ? "1" : "0"
        case .input(let i): return "a\(i)"
        case .lut(let i): return "n\(i)"
        }
    }

    private static func signal(_ token: Substring) throws -> Signal {
        switch token.first {
        case "0" where token.count == 1: return .constant(false)
        case "1" where token.count == 1: return .constant(true)
        case "a": if let i = Int(token.dropFirst()), i >= 0 { return .input(i) }
        case "n": if let i = Int(token.dropFirst()), i >= 0 { return .lut(i) }
        default: break
        }
        throw SynthesisError("netlist: bad signal '\(token)'")
    }
}
