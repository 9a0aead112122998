/// The AXI4-Stream parts of the top module (`[rtl] interface = "axis"`):
/// its ports, the slave side feeding the first stage, and the master side
/// with the stall's enable (docs/hardware.md, "The AXI4-Stream interface").
extension VerilogEmitter {
    /// The AXI4-Stream ports, AXI names (aclk, aresetn, s_axis_*, m_axis_*).
    static func axisPorts(_ layout: AXISLayout, combinational: Bool) -> [RTLPort] {
        let unused = "unused (no registers); kept so the interface is the same"
        var ports = [
            RTLPort(
                name: "aclk", direction: .input, width: 1, isVector: false,
                description: combinational ? unused : "clock; registers update on the rising edge"),
            RTLPort(
                name: "aresetn", direction: .input, width: 1, isVector: false,
                description: combinational
                    ? unused : "synchronous reset, active low; empties the pipeline, s_axis_tready low while asserted"),
            RTLPort(name: "s_axis_tvalid", direction: .input, width: 1, isVector: false, description: "s_axis_tdata holds a sample"),
            RTLPort(
                name: "s_axis_tready", direction: .output, width: 1, isVector: false,
                description: "the sample is taken this cycle if s_axis_tvalid (low only while m_axis_tready holds a result back)"),
            RTLPort(
                name: "s_axis_tdata", direction: .input, width: layout.slaveBits, isVector: true,
                description: "the sample: \(layout.input.description) (byte layout below)"),
            RTLPort(
                name: "s_axis_tlast", direction: .input, width: 1, isVector: false, description: "travels with the sample to m_axis_tlast"),
        ]
        if layout.userBits > 0 {
            ports.append(
                RTLPort(
                    name: "s_axis_tuser", direction: .input, width: layout.userBits, isVector: true,
                    description: "travels with the sample to m_axis_tuser"))
        }
        ports += [
            RTLPort(name: "m_axis_tvalid", direction: .output, width: 1, isVector: false, description: "m_axis_tdata holds a result"),
            RTLPort(
                name: "m_axis_tready", direction: .input, width: 1, isVector: false,
                description: "the result is taken this cycle; low holds the whole pipeline"),
            RTLPort(
                name: "m_axis_tdata", direction: .output, width: layout.masterBits, isVector: true,
                description:
                    "the result: \(layout.codes.name == "scores" ? "class scores" : "output codes")"
                    + "\(layout.outClass == nil ? "" : " and class") (byte layout below)"),
            RTLPort(
                name: "m_axis_tlast", direction: .output, width: 1, isVector: false, description: "s_axis_tlast of this result's sample"),
        ]
        if layout.userBits > 0 {
            ports.append(
                RTLPort(
                    name: "m_axis_tuser", direction: .output, width: layout.userBits, isVector: true,
                    description: "s_axis_tuser of this result's sample"))
        }
        return ports
    }

    /// The slave side of the stream: the codes, valid and sideband (tlast,
    /// tuser) the first stage loads, and the stall's enable.
    static func axisInput(_ axis: AXISLayout, latency: Int) -> String {
        let side = axis.userBits > 0 ? "{s_axis_tuser, s_axis_tlast}" : "s_axis_tlast"
        var text = """

                // AXI4-Stream: a sample enters on s_axis_tvalid && s_axis_tready; tlast (and tuser) travel
                // beside it through every register stage (in_side: {tuser, tlast}).
                wire \(range(axis.input.bits)) in_data = s_axis_tdata\(axis.input.range);
                wire in_valid = s_axis_tvalid;
                wire \(range(axis.userBits + 1)) in_side = \(side);

            """
        if axis.input.bits < axis.slaveBits {
            text += """
                    /* verilator lint_off UNUSED */
                    wire \(range(axis.slaveBits - axis.input.bits)) unused_padding = s_axis_tdata[\(axis.slaveBits - 1):\(axis.input.bits)];
                    /* verilator lint_on UNUSED */

                """
        }
        if latency > 0 {
            text += """
                    // The stall: one enable for every stage. The pipeline advances when its last stage
                    // is empty or taken, so a held result holds everything behind it (nothing lost,
                    // duplicated or reordered) and with m_axis_tready high it moves every clock.
                    wire advance;

                """
        }
        return text
    }

    /// The master side: valid, the `tdata` word in `AXISLayout`'s byte
    /// layout (zero padding), tlast/tuser, and the slave's ready.
    static func axisOutput(
        _ axis: AXISLayout, data: String, valid: String, side: String, outputWidth: Int,
        argmax: Bool, latency: Int
    ) -> String {
        var parts: [String] = []  // most significant first
        var top = axis.masterBits
        for field in axis.masterFields.reversed() {
            let end = field.lowBit + field.bits
            if top > end { parts.append("\(top - end)'d0") }
            parts.append(field.name == "class" ? "out_class" : "out_data")
            top = field.lowBit
        }
        var text = """

                wire out_valid = \(valid);
                wire \(range(outputWidth)) out_data = \(data);
                wire \(range(axis.userBits + 1)) out_side = \(side);

            """
        if argmax, let outClass = axis.outClass { text += "    wire \(range(outClass.bits)) out_class;\n" }
        text +=
            latency > 0
            ? "    assign advance = m_axis_tready || !out_valid;\n    assign s_axis_tready = advance && aresetn;\n"
            : "    assign s_axis_tready = m_axis_tready;\n"
        text += "    assign m_axis_tvalid = out_valid;\n"
        text += "    assign m_axis_tdata = \(parts.count == 1 ? parts[0] : "{\(parts.joined(separator: ", "))}");\n"
        text += "    assign m_axis_tlast = out_side[0];\n"
        if axis.userBits > 0 { text += "    assign m_axis_tuser = out_side[\(axis.userBits):1];\n" }
        return text
    }
}
