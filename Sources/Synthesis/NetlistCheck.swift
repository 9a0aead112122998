import NeuraLUT

extension LUTNetlist {
    /// Checks the netlist against `table` on every address (only on the
    /// addresses of `care` when given) and throws on the first difference:
    /// each mapped partition is bit-exact before any RTL is emitted.
    public func check(against table: TruthTable, care: CareSet? = nil) throws {
        guard inputCount == table.addressBits, outputs.count == table.outputBits else {
            throw SynthesisError(
                "the netlist has \(inputCount) inputs and \(outputs.count) outputs, the table \(table.addressBits) and \(table.outputBits)")
        }
        if let care, care.addressBits != table.addressBits {
            throw SynthesisError("the care set covers \(care.addressBits) address bits, the table has \(table.addressBits)")
        }
        var scratch = [Bool](repeating: false, count: luts.count)
        for address in table.codes.indices where care?.contains(address) ?? true {
            let got = evaluate(address: address, scratch: &scratch)
            if got != table.codes[address] {
                throw SynthesisError(
                    "the mapped netlist differs from its table at address \(address): \(got) instead of \(table.codes[address])")
            }
        }
    }
}

extension LUTNetlist {
    /// The function the netlist computes, as a table: with don't-cares this
    /// is the *filled* table, the truth for LUT inference, RTL and reports.
    public var truthTable: TruthTable {
        var scratch = [Bool](repeating: false, count: luts.count)
        return TruthTable(
            addressBits: inputCount, outputBits: outputs.count,
            codes: (0..<(1 << inputCount)).map { evaluate(address: $0, scratch: &scratch) })
    }
}
