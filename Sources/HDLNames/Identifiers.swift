/// The one vocabulary for names that end up in generated hardware and
/// files (Verilog, TCL, XML, YAML, file names): the project file's checks,
/// the RTL emitter and packaging all ask here, so a name the project file
/// accepts is one every later step accepts.
///
/// Names are checked, never escaped: a name that passes contains no quotes,
/// brackets, braces, `$`, backslashes or white space, so it is inert in every
/// output language.
public enum Identifiers {
    /// Verilog-2001 simple identifier that is not a reserved word
    /// (SystemVerilog's are rejected too, so the core also works in SV flows).
    public static func isVerilogIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isLetter(first) || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { isLetter($0) || isDigit($0) || $0 == "_" }
            && s.unicodeScalars.count <= 1024
            && !reservedWords.contains(s)
    }

    /// The module lutbuild's self-checking testbench defines.
    public static let testbenchModule = "lutbuild_tb"

    /// Module names lutbuild generates itself, which a design may not take.
    public static let generatedModules: Set<String> = [testbenchModule]

    /// Longest design name (`[project] name` and `top`). Generated files and
    /// modules append to it (`<top>_input_thresholds.json`, `<top>_l12_p1023.v`,
    /// the IP's `<vendor>_<library>_<name>_<version>` folder), so this keeps
    /// every path segment well below the 255 bytes file systems allow.
    public static let maxDesignNameLength = 128

    /// Why `name` cannot name the design or its top module, or nil when it can.
    public static func designNameProblem(_ name: String) -> String? {
        if !isVerilogIdentifier(name) {
            return
                "expected a Verilog identifier (a letter or '_', then letters, digits or '_'; not a reserved word), found"
                + " \(String(reflecting: name))"
        }
        if name.unicodeScalars.count > maxDesignNameLength {
            return "\(name.unicodeScalars.count) characters; expected at most \(maxDesignNameLength) (generated file names append to it)"
        }
        if generatedModules.contains(name) {
            return "\(String(reflecting: name)) is the name of lutbuild's testbench module; choose another name"
        }
        return nil
    }

    /// `xs:Name`-compatible vendor such as `example.org` (letters first, then
    /// letters, digits, `_`, `.`, `-`).
    public static func isVendor(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isLetter(first) else { return false }
        return s.unicodeScalars.allSatisfy { isLetter($0) || isDigit($0) || "_.-".unicodeScalars.contains($0) }
    }

    /// `1`, `1.0`, `2.10.3`.
    public static func isDottedVersion(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(isDigit) }
    }

    /// A Xilinx part name such as `xcvu9p-flgb2104-2-i` (lower case, digits, dashes).
    public static func isPartName(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return !parts.isEmpty
            && parts.allSatisfy {
                !$0.isEmpty && $0.unicodeScalars.allSatisfy { isLowerLetter($0) || isDigit($0) }
            }
    }

    /// A device family name such as `virtexuplus` or `virtexuplusHBM`.
    public static func isFamily(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isLetter(first) else { return false }
        return s.unicodeScalars.allSatisfy { isLetter($0) || isDigit($0) }
    }

    /// A relative path below the project root made of safe segments
    /// (`gen/rtl/top.v`): no absolute paths, no `.`/`..`, no empty segments.
    public static func isSafeRelativePath(_ s: String) -> Bool {
        let segments = s.split(separator: "/", omittingEmptySubsequences: false)
        return !segments.isEmpty
            && segments.allSatisfy { segment in
                !segment.isEmpty && segment != "." && segment != ".."
                    && segment.unicodeScalars.allSatisfy { isLetter($0) || isDigit($0) || "_.-".unicodeScalars.contains($0) }
            }
    }

    /// One line of printable text (free-text fields are escaped, but never
    /// carry control characters or line breaks into generated files).
    public static func isSingleLineText(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.properties.generalCategory != .control }
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool { isLowerLetter(c) || ("A"..."Z").contains(c) }
    private static func isLowerLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    /// Verilog-2005 and SystemVerilog-2017 reserved words.
    public static let reservedWords: Set<String> = [
        "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez",
        "cell", "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else", "end",
        "endcase", "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive", "endspecify",
        "endtable", "endtask", "event", "for", "force", "forever", "fork", "function", "generate", "genvar",
        "highz0", "highz1", "if", "ifnone", "incdir", "include", "initial", "inout", "input", "instance",
        "integer", "join", "large", "liblist", "library", "localparam", "macromodule", "medium", "module",
        "nand", "negedge", "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1", "or", "output",
        "parameter", "pmos", "posedge", "primitive", "pull0", "pull1", "pulldown", "pullup",
        "pulsestyle_onevent", "pulsestyle_ondetect", "rcmos", "real", "realtime", "reg", "release", "repeat",
        "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared", "showcancelled", "signed", "small",
        "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table", "task", "time", "tran",
        "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned", "use", "uwire",
        "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor",
        // SystemVerilog additions most likely to collide with user names.
        "alias", "always_comb", "always_ff", "always_latch", "assert", "assume", "bit", "break", "byte",
        "chandle", "class", "clocking", "const", "constraint", "context", "continue", "cover", "enum",
        "export", "extends", "extern", "final", "forkjoin", "import", "inside", "int", "interface", "logic",
        "longint", "modport", "new", "null", "package", "packed", "priority", "program", "property",
        "protected", "pure", "rand", "randc", "ref", "return", "sequence", "shortint", "shortreal", "static",
        "string", "struct", "super", "this", "type", "typedef", "union", "unique", "var", "virtual", "void",
    ]
}
