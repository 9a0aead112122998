import Foundation
import NeuraLUT

/// Emits deterministic Verilog-2001 for a `LUTNetwork`: one module per
/// partition, one per layer and a top (DESIGN.md §2). Each piece has its
/// own function so the build engine can cache them separately.
public enum VerilogEmitter {
    /// The whole design. Partition modules are emitted in parallel; the
    /// output is byte-identical however the work is scheduled.
    /// `partitionModule(id, name)` gives a partition's Verilog (by default its
    /// case ROM; the Synthesis module passes mapped netlists), and
    /// `simulationModels` are cell models the design needs in simulation only.
    public static func design(network: LUTNetwork, options: RTLOptions = RTLOptions(), simulationModels: [GeneratedFile] = [],
                              partitionModule: (@Sendable (PartitionID, String) -> String)? = nil) throws -> RTLDesign {
        try network.validate()
        guard isIdentifier(options.topName) else {
            throw RTLError("top module name '\(options.topName)' is not a Verilog identifier (letters, digits, _; not starting with a digit; not a keyword)")
        }
        if case .everyKLayers(let k) = options.registers, k < 1 {
            throw RTLError("registers every k layers needs k >= 1, got \(k)")
        }
        let ids = network.spec.layers.indices.flatMap { l in
            (0..<network.spec.layers[l].partitions).map { PartitionID(layer: l, index: $0) }
        }
        let topName = options.topName
        let partitionFiles = Parallel.map(count: ids.count) { i in
            let name = partitionModuleName(ids[i], topName: topName)
            let contents = partitionModule?(ids[i], name) ?? Self.partitionModule(name: name, table: network.tables[ids[i].layer][ids[i].index])
            return GeneratedFile(path: "\(name).v", contents: contents)
        }
        let layerFiles = network.spec.layers.indices.map { layerModule(network: network, layer: $0, options: options) }
        let top = topModule(network: network, options: options)
        let spec = network.spec
        let outputs = spec.layers.last?.partitions ?? 0
        return RTLDesign(
            files: partitionFiles + layerFiles + [top],
            simulationModels: simulationModels,
            topName: options.topName,
            inputWidth: spec.inputFeatures * spec.inputBits,
            outputWidth: outputs * (spec.layers.last?.outputBits ?? 0),
            classWidth: options.argmax ? indexBits(outputs) : 0,
            latency: options.registers.latency(layers: spec.layers.count),
            ports: ports(network: network, options: options))
    }

    /// Whether `name` is a plain Verilog identifier usable as a module name.
    public static func isIdentifier(_ name: String) -> Bool {
        guard !verilogKeywords.contains(name) else { return false }
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Verilog-2005 keywords (plus common SystemVerilog ones, so the RTL also
    /// reads as SystemVerilog): not usable as module names.
    static let verilogKeywords: Set<String> = [
        "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez",
        "cell", "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else",
        "end", "endcase", "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive",
        "endspecify", "endtable", "endtask", "event", "for", "force", "forever", "fork", "function",
        "generate", "genvar", "highz0", "highz1", "if", "ifnone", "incdir", "include", "initial", "inout",
        "input", "instance", "integer", "join", "large", "liblist", "library", "localparam", "macromodule",
        "medium", "module", "nand", "negedge", "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1",
        "or", "output", "parameter", "pmos", "posedge", "primitive", "pull0", "pull1", "pulldown", "pullup",
        "pulsestyle_onevent", "pulsestyle_ondetect", "rcmos", "real", "realtime", "reg", "release", "repeat",
        "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared", "showcancelled", "signed", "small",
        "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table", "task", "time", "tran",
        "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned", "use", "uwire",
        "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor", "bit", "byte",
        "logic", "int", "shortint", "longint", "interface", "class", "package", "import", "export",
        "program", "property", "sequence"
    ]
}
