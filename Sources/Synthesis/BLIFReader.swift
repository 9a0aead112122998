import Foundation

/// Reads the combinational BLIF that ABC writes after LUT mapping (one
/// `.names` per LUT) into a `LUTNetlist`.
///
/// Inputs and outputs are matched by position: the `n`-th name on `.inputs`
/// is address bit `n`, the `n`-th on `.outputs` is output bit `n`. Buffers
/// and constant nodes become wires and constants, inputs a node does not
/// depend on are dropped, so the LUT count is what hardware needs.
public enum BLIFReader {
    /// With `outputCount`, only the first `outputCount` outputs are kept
    /// (the mapper pads the outputs to whole groups for ABC).
    public static func netlist(_ text: String, outputCount: Int? = nil) throws -> LUTNetlist {
        var inputs: [String] = [], outputs: [String] = []
        var nodes: [String: Node] = [:], current: String?
        for line in logicalLines(text) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let head = fields.first else { continue }
            switch head {
            case ".model", ".end": current = nil
            case ".inputs": inputs += fields.dropFirst()
            case ".outputs": outputs += fields.dropFirst()
            case ".names":
                guard let name = fields.last, fields.count >= 2 else { throw SynthesisError("BLIF: .names without a signal name") }
                guard nodes[name] == nil else { throw SynthesisError("BLIF: signal \(name) is defined twice") }
                nodes[name] = Node(fanins: Array(fields.dropFirst().dropLast()), rows: [])
                current = name
            case let directive where directive.hasPrefix("."):
                throw SynthesisError("BLIF: \(directive) is not supported (a mapped table is combinational LUT logic only)")
            default:
                guard let name = current else { throw SynthesisError("BLIF: cover line outside .names: \(line)") }
                nodes[name]!.rows.append(fields)
            }
        }
        var builder = Builder(inputs: Dictionary(uniqueKeysWithValues: inputs.enumerated().map { ($1, $0) }), nodes: nodes)
        if let outputCount {
            guard outputCount <= outputs.count else { throw SynthesisError("BLIF: \(outputs.count) outputs, expected \(outputCount)") }
            outputs.removeLast(outputs.count - outputCount)
        }
        let outputSignals = try outputs.map { try builder.signal(for: $0) }
        return try LUTNetlist(inputCount: inputs.count, luts: builder.luts, outputs: outputSignals)
    }

    struct Node {
        var fanins: [String]
        /// Cover rows: `[cube, value]`, or `[value]` for a node without fanins.
        var rows: [[String]]

        /// The node's function as INIT bits over its fanins (fanin 0 = bit 0 of the index).
        func initBits(name: String) throws -> UInt64 {
            let k = fanins.count
            guard k <= LUT.maximumInputs else {
                throw SynthesisError("BLIF: \(name) has \(k) inputs; a LUT has at most \(LUT.maximumInputs)")
            }
            var onSet: UInt64 = 0, phase: Character?
            for row in rows {
                let cube = k == 0 ? "" : row.first ?? ""
                guard row.count == (k == 0 ? 1 : 2), cube.count == k, let value = row.last?.first, value == "0" || value == "1" else {
                    throw SynthesisError("BLIF: malformed cover line '\(row.joined(separator: " "))' of \(name)")
                }
                if let phase, phase != value { throw SynthesisError("BLIF: \(name) mixes on-set and off-set rows") }
                phase = value
                let literals = Array(cube)
                for minterm in 0..<(1 << k)
                where literals.indices.allSatisfy({ j in
                    literals[j] == "-" || (literals[j] == "1") == ((minterm >> j) & 1 == 1)
                }) {
                    onSet |= 1 << UInt64(minterm)
                }
            }
            let mask: UInt64 = k == LUT.maximumInputs ? ~0 : (1 << (1 << k)) - 1
            return phase == "0" ? ~onSet & mask : onSet
        }
    }

    /// Turns named nodes into LUTs in depth-first order from the outputs.
    struct Builder {
        let inputs: [String: Int]
        let nodes: [String: Node]
        var luts: [LUT] = []
        var resolved: [String: Signal] = [:]
        var visiting: Set<String> = []

        mutating func signal(for name: String) throws -> Signal {
            if let index = inputs[name] { return .input(index) }
            if let signal = resolved[name] { return signal }
            guard let node = nodes[name] else { throw SynthesisError("BLIF: signal \(name) is never defined") }
            guard visiting.insert(name).inserted else { throw SynthesisError("BLIF: combinational loop through \(name)") }
            defer { visiting.remove(name) }
            var fanins = try node.fanins.map { try signal(for: $0) }
            var bits = try node.initBits(name: name)
            // Constant fanins are folded in, inputs the function ignores dropped.
            var pin = fanins.count - 1
            while pin >= 0 {
                if case .constant(let value) = fanins[pin] {
                    bits = LUTFunction.cofactor(bits, inputs: fanins.count, pin: pin, value: value)
                    fanins.remove(at: pin)
                } else if !LUTFunction.depends(bits, inputs: fanins.count, on: pin) {
                    bits = LUTFunction.cofactor(bits, inputs: fanins.count, pin: pin, value: false)
                    fanins.remove(at: pin)
                }
                pin -= 1
            }
            let result: Signal
            if fanins.isEmpty {
                result = .constant(bits & 1 == 1)
            } else if fanins.count == 1 && bits == 0b10 {
                result = fanins[0]
            } else {
                luts.append(LUT(inputs: fanins, initBits: bits))
                result = .lut(luts.count - 1)
            }
            resolved[name] = result
            return result
        }
    }

    /// Lines without comments, with `\` continuations joined.
    static func logicalLines(_ text: String) -> [String] {
        var lines: [String] = [], pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let full = (pending + line).trimmingCharacters(in: .whitespaces)
            pending = ""
            if !full.isEmpty { lines.append(full) }
        }
        return lines
    }
}

/// Operations on INIT bit patterns of LUTs of up to six inputs.
enum LUTFunction {
    /// The function with input `pin` fixed to `value`, over the remaining
    /// inputs (those above `pin` move down by one).
    static func cofactor(_ bits: UInt64, inputs: Int, pin: Int, value: Bool) -> UInt64 {
        var result: UInt64 = 0
        for index in 0..<(1 << (inputs - 1)) {
            let low = index & ((1 << pin) - 1), high = (index >> pin) << (pin + 1)
            let source = high | (value ? 1 << pin : 0) | low
            if (bits >> UInt64(source)) & 1 == 1 { result |= 1 << UInt64(index) }
        }
        return result
    }

    static func depends(_ bits: UInt64, inputs: Int, on pin: Int) -> Bool {
        cofactor(bits, inputs: inputs, pin: pin, value: false) != cofactor(bits, inputs: inputs, pin: pin, value: true)
    }
}
