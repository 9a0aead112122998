import NeuraLUT

extension VerilogEmitter {
    /// The top-level ports of `network`'s design, in declaration order.
    public static func ports(network: LUTNetwork, options: RTLOptions, encoder: InputEncoderRTL? = nil) -> [RTLPort] {
        if let layout = options.axisLayout(network: network, encoder: encoder) {
            return axisPorts(layout, combinational: options.registers == .none)
        }
        let spec = network.spec
        let inBits = spec.inputBits, outBits = spec.scoreBits
        let outputs = spec.scoreCount
        let combinational = options.registers == .none
        let inData =
            encoder.map {
                RTLPort(
                    name: "in_data", direction: .input, width: spec.inputFeatures * $0.format.bits, isVector: true,
                    description: rawInputDescription(features: spec.inputFeatures, format: $0.format))
            }
            ?? RTLPort(
                name: "in_data", direction: .input, width: spec.inputFeatures * inBits, isVector: true,
                description:
                    "\(spec.inputFeatures) input codes of \(inBits) bits, feature i at [i*\(inBits) +: \(inBits)], signed offset"
                    + " binary (value = code - \(1 << (inBits - 1)))"
            )
        var ports = [
            RTLPort(
                name: "clk", direction: .input, width: 1, isVector: false,
                description: combinational
                    ? "unused (no registers); kept so the interface is the same" : "clock; registers update on the rising edge"),
            RTLPort(
                name: "rst", direction: .input, width: 1, isVector: false,
                description: combinational
                    ? "unused (no registers); kept so the interface is the same"
                    : "synchronous reset, active high; clears the valid pipeline"),
            RTLPort(name: "in_valid", direction: .input, width: 1, isVector: false, description: "in_data holds a sample this cycle"),
            inData,
            RTLPort(
                name: "out_valid", direction: .output, width: 1, isVector: false,
                description: "out_data (and out_class) hold a result this cycle"),
            RTLPort(
                name: "out_data", direction: .output, width: outputs * outBits, isVector: true,
                description: outputDataDescription(spec)),
        ]
        if options.argmax {
            ports.append(
                RTLPort(
                    name: "out_class", direction: .output, width: indexBits(outputs), isVector: true,
                    description: classDescription(partitionsPerClass: spec.partitionsPerClass)))
        }
        return ports
    }

    /// What `out_data` (or the `tdata` field of the same name) carries: the
    /// output codes, or with k partitions per class the class scores.
    static func outputDataDescription(_ spec: NetworkSpec) -> String {
        let outputs = spec.scoreCount, bits = spec.scoreBits, k = spec.partitionsPerClass
        guard k > 1 else {
            return "\(outputs) output codes of \(bits) bits, output i at [i*\(bits) +: \(bits)], signed offset binary"
                + " (value = code - \(1 << (bits - 1)))"
        }
        return "\(outputs) class scores of \(bits) bits, class i at [i*\(bits) +: \(bits)], unsigned: "
            + ClassScores.sumDescription(index: "i", partitionsPerClass: k, tieBreakers: spec.tieBreakers)
    }

    /// What `out_class` carries (also the output-codes file's `out_class` line with k > 1).
    public static func classDescription(partitionsPerClass: Int) -> String {
        partitionsPerClass > 1
            ? "index of the largest class score (ties to the lowest index)"
            : "index of the largest output code (signed compare, ties to the lowest index)"
    }

    /// The top module: pipeline registers on the configured layer inputs, a
    /// matching valid pipeline, the layer instances and the optional argmax;
    /// with the AXI4-Stream interface, also the stream ports and the stall.
    public static func topModule(network: LUTNetwork, options: RTLOptions, encoder: InputEncoderRTL? = nil) -> GeneratedFile {
        let spec = network.spec
        let layerCount = spec.layers.count
        let latency = options.registers.latency(layers: layerCount)
        let ports = ports(network: network, options: options, encoder: encoder)
        let outBits = spec.scoreBits
        let outputs = spec.scoreCount
        let axis = options.axisLayout(network: network, encoder: encoder)
        let clock = axis == nil ? "clk" : "aclk", reset = axis == nil ? "rst" : "aresetn"

        var text = TextBuffer(capacity: 4096 + layerCount * 512)
        text.append(headerComment(network: network, options: options, ports: ports, latency: latency, axis: axis, encoder: encoder))
        text.append("`default_nettype none\nmodule \(options.topName) (\n")
        for (i, port) in ports.enumerated() {
            let unusedClock = latency == 0 && (port.name == clock || port.name == reset)
            if unusedClock { text.append("    /* verilator lint_off UNUSED */\n") }
            let kind = port.direction == .input ? "input  wire" : "output wire"
            let width = port.isVector ? " \(range(port.width))" : ""
            text.append("    \(kind)\(width) \(port.name)\(i == ports.count - 1 ? "" : ",")\n")
            if unusedClock { text.append("    /* verilator lint_on UNUSED */\n") }
        }
        text.append(");\n")
        if let axis { text.append(axisInput(axis, latency: latency)) }

        var data = "in_data", valid = "in_valid", side = "in_side"
        if encoder != nil {
            let codes = spec.inputFeatures * spec.inputBits
            text.append(
                """

                    // The input encoder: raw feature values to input codes, before the first register stage.
                    wire \(range(codes)) in_codes;
                    \(InputEncoderRTL.moduleName(topName: options.topName)) encoder (.raw(in_data), .codes(in_codes));

                """)
            data = "in_codes"
        }
        for layer in 0..<layerCount {
            let width = spec.inputWidth(ofLayer: layer) * spec.inputBits(ofLayer: layer)
            if let axis, options.registers.registersInput(ofLayer: layer) {
                // The stall: every stage loads only when the pipeline advances.
                text.append(
                    """

                        // Register stage on the input of layer \(layer), loaded only when the pipeline advances.
                        reg \(range(width)) l\(layer)_data;
                        reg l\(layer)_valid;
                        reg \(range(axis.userBits + 1)) l\(layer)_side;
                        always @(posedge aclk) begin
                            if (advance) begin
                                l\(layer)_data <= \(data);
                                l\(layer)_side <= \(side);
                            end
                            if (!aresetn) l\(layer)_valid <= 1'b0;
                            else if (advance) l\(layer)_valid <= \(valid);
                        end

                    """)
                data = "l\(layer)_data"
                valid = "l\(layer)_valid"
                side = "l\(layer)_side"
            } else if options.registers.registersInput(ofLayer: layer) {
                text.append(
                    """

                        // Register stage on the input of layer \(layer).
                        reg \(range(width)) l\(layer)_data;
                        reg l\(layer)_valid;
                        always @(posedge clk) begin
                            l\(layer)_data <= \(data);
                            if (rst) l\(layer)_valid <= 1'b0;
                            else l\(layer)_valid <= \(valid);
                        end

                    """)
                data = "l\(layer)_data"
                valid = "l\(layer)_valid"
            }
            let outWidth = spec.layers[layer].partitions * spec.layers[layer].outputBits
            text.append("    wire \(range(outWidth)) l\(layer)_out;\n")
            text.append(
                "    \(layerModuleName(layer, topName: options.topName)) layer\(layer) (.in_data(\(data)), .out_data(l\(layer)_out));\n")
            data = "l\(layer)_out"
        }
        if spec.partitionsPerClass > 1 {
            let head = ClassScoresRTL.moduleName(topName: options.topName)
            text.append("\n    // The additive output head: each class's score sums its \(spec.partitionsPerClass) partitions' codes.\n")
            text.append("    wire \(range(outputs * outBits)) class_scores;\n")
            text.append("    \(head) class_scores_head (.codes(\(data)), .scores(class_scores));\n")
            data = "class_scores"
        }
        if let axis {
            text.append(
                axisOutput(
                    axis, data: data, valid: valid, side: side, outputWidth: outputs * outBits,
                    argmax: options.argmax, latency: latency))
        } else {
            text.append("\n    assign out_valid = \(valid);\n    assign out_data = \(data);\n")
        }

        if options.argmax {
            text.append(
                spec.partitionsPerClass > 1
                    ? "\n    // Argmax over the class scores as a balanced tree (unsigned sums of offset-binary codes);\n"
                    : "\n    // Argmax over the output codes as a balanced tree: offset binary compares like signed values;\n")
            text.append("    // the right half wins only when strictly greater, so ties keep the lowest index.\n")
            let root = argmaxNode(0, max(outputs, 1), outBits: outBits, classBits: indexBits(outputs), isRoot: true, into: &text)
            text.append("    assign out_class = \(root.index);\n")
        }
        text.append("endmodule\n`default_nettype wire\n")
        return GeneratedFile(path: "\(options.topName).v", contents: text.string)
    }

    /// Emits the comparators choosing the largest of outputs `lo..<hi`;
    /// returns the expressions of the winner's code and index.
    private static func argmaxNode(
        _ lo: Int, _ hi: Int, outBits: Int, classBits: Int, isRoot: Bool,
        into text: inout TextBuffer
    ) -> (code: String, index: String) {
        if hi - lo == 1 { return ("out_data\(slice(lo, outBits))", "\(classBits)'d\(lo)") }
        let mid = (lo + hi + 1) / 2
        let left = argmaxNode(lo, mid, outBits: outBits, classBits: classBits, isRoot: false, into: &text)
        let right = argmaxNode(mid, hi, outBits: outBits, classBits: classBits, isRoot: false, into: &text)
        let name = "\(lo)_\(hi - 1)"
        text.append("    wire take_\(name) = \(right.code) > \(left.code);\n")
        if !isRoot {
            text.append("    wire \(range(outBits)) max_code_\(name) = take_\(name) ? \(right.code) : \(left.code);\n")
        }
        text.append("    wire \(range(classBits)) max_index_\(name) = take_\(name) ? \(right.index) : \(left.index);\n")
        return ("max_code_\(name)", "max_index_\(name)")
    }

    /// `[hi:lo]` of element `index` of a bus of `bits`-bit elements.
    private static func slice(_ index: Int, _ bits: Int) -> String {
        "[\(index * bits + bits - 1):\(index * bits)]"
    }

    /// `2nd`, `3rd`, `11th`, `21st`.
    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    /// What the input port carries with the encoder, for port lists and layouts.
    static func rawInputDescription(features: Int, format: FixedPointFormat) -> String {
        "\(features) raw feature values of \(format.bits) bits, feature i at bits [i*\(format.bits) +: \(format.bits)], fixed"
            + " point \(format) (value = field /"
            + " 2^\(format.fractionBits)\(format.isSigned ? ", two's complement" : ", unsigned")), encoded by the thresholds"
    }

    private static func headerComment(
        network: LUTNetwork, options: RTLOptions, ports: [RTLPort], latency: Int,
        axis: AXISLayout?, encoder: InputEncoderRTL?
    ) -> String {
        let spec = network.spec
        let shape = ([spec.inputFeatures] + spec.layers.map(\.partitions)).map(String.init).joined(separator: " -> ")
        let registers: String
        switch options.registers {
        case .everyLayer: registers = "a register stage on every layer's input"
        case .none: registers = "no registers (combinational; clk and rst are unused)"
        case .everyKLayers(let k): registers = "a register stage on the input of every \(ordinal(k)) layer (layers 0, \(k), ...)"
        }
        var lines = [
            "Generated by lutbuild: a NeuraLUT network in logic, \(shape) codes.",
            "",
            "Ports:",
        ]
        for port in ports {
            let width = port.isVector ? "[\(port.width - 1):0]" : ""
            lines.append("  \(port.direction == .input ? "input " : "output") \(port.name)\(width): \(port.description)")
        }
        if let encoder {
            lines += [
                "",
                "Input encoder (\(InputEncoderRTL.moduleName(topName: options.topName))): each raw value, fixed point"
                    + " \(encoder.format), is compared with its feature's",
                "thresholds from \(options.topName)_input_thresholds.json rounded onto the \(encoder.format) grid; the code is"
                    + " the number passed.",
            ]
        }
        if let axis {
            lines += ["", "AXI4-Stream byte layout (AXI4-Stream counts tdata in whole bytes; each field starts on a byte):"]
            lines += axis.lines
            lines += [
                "Backpressure: one enable for every register stage; the pipeline advances when m_axis_tvalid is low",
                "or m_axis_tready is high, and s_axis_tready is that enable (and aresetn), so no sample is lost,",
                "duplicated or reordered. With m_axis_tready high: one sample per clock, latency = register stages.",
            ]
        }
        lines += [
            "",
            "Bit order: on every bus code i occupies [i*bits +: bits] (code 0 in the least significant bits);",
            "in a partition's table address the first connected input occupies the most significant bits.",
            "",
            "Latency: \(latency) cycle(s), \(registers); one sample per clock;",
            axis != nil
                ? (options.registers == .none
                    ? "m_axis_tvalid is s_axis_tvalid and s_axis_tready is m_axis_tready (no latency); aclk and aresetn are unused."
                    : "m_axis_tvalid follows the sample's handshake after the same latency while m_axis_tready is high; aresetn"
                        + " empties the pipeline.")
                : options.registers == .none
                    ? "out_valid is in_valid (no latency); clk and rst are unused."
                    : "out_valid follows in_valid after the same latency; rst clears only the valid pipeline.",
            "",
            "Code-to-value mapping: input codes are signed in offset binary (value = code - \(1 << (spec.inputBits - 1)));",
            "hidden layers produce unsigned codes (value = code); the last layer's codes are signed in offset",
            "binary (value = code - \(1 << ((spec.layers.last?.outputBits ?? 1) - 1))), each value times the last layer's"
                + " learned quantizer",
            "scale, published in \(options.topName)_output_codes.json beside this file (and in the IP's doc/ folder).",
            "Raw features map to input codes as given in \(options.topName)_input_thresholds.json (and .csv) beside this file.",
        ]
        return lines.map { $0.isEmpty ? "//\n" : "// \($0)\n" }.joined()
    }
}
