/// The one list of Xilinx device families lutbuild knows (the names Vivado
/// writes in a component.xml's `supportedFamilies`), and which of them a part
/// name belongs to. The project file's checks and packaging both ask here, so
/// a misspelled family, or a list without the part's own family, is caught
/// once, with the same words.
public enum DeviceFamilies {
    /// Every family the plain generated Verilog runs on: 7-series (commercial,
    /// low-voltage, automotive `a…`, defence-grade `q…`), UltraScale,
    /// UltraScale+ (incl. HBM, 58G, RFSoC) and Versal. It is also the default
    /// `[fpga] families`, as wide as Vivado's own packager offers.
    public static let all = [
        "virtex7", "kintex7", "kintex7l", "artix7", "artix7l", "aartix7", "zynq", "azynq", "spartan7", "aspartan7",
        "akintex7", "qartix7", "qkintex7", "qkintex7l", "qvirtex7", "qzynq",
        "virtexu", "kintexu", "virtexuplus", "virtexuplusHBM", "virtexuplus58g", "kintexuplus", "artixuplus",
        "zynquplus", "zynquplusRFSOC", "versal",
    ]

    public static func isKnown(_ family: String) -> Bool { all.contains(family) }

    /// The families a part can belong to, judged by its name's prefix (a
    /// prefix names a series; where one series spans several families, such
    /// as `xcvu…p` for virtexuplus, virtexuplusHBM and virtexuplus58g, all of
    /// them). Empty for a prefix not listed here: such a part is not checked.
    public static func candidates(forPart part: String) -> [String] {
        let name = part.lowercased()
        for (prefix, families) in seriesByPrefix where name.hasPrefix(prefix) {
            return families(name.dropFirst(prefix.count))
        }
        return []
    }

    /// Why `families` does not fit `part`, or nil: the list must hold one of
    /// the families the part can belong to.
    public static func partProblem(part: String, families: [String]) -> String? {
        let candidates = candidates(forPart: part)
        guard !candidates.isEmpty, !candidates.contains(where: families.contains) else { return nil }
        let wanted = candidates.count == 1 ? candidates[0] : "one of " + candidates.joined(separator: ", ")
        return "the list leaves out the family of part \(part): expected it to include \(wanted)"
    }

    /// Why `family` is not a known family, or nil; `suggestion` is the
    /// caller's closest known spelling, if it has one.
    public static func unknownProblem(_ family: String, suggestion: String? = nil) -> String? {
        guard !isKnown(family) else { return nil }
        let hint = suggestion.map { "; did you mean \(String(reflecting: $0))?" } ?? ""
        return "\(String(reflecting: family)) is not a device family Vivado knows\(hint) (expected one of: \(all.joined(separator: ", ")))"
    }

    /// yosys' `synth_xilinx -family` for `part`: `xc7` for 7-series, `xcu`
    /// for UltraScale, `xcup` for UltraScale+ and for everything yosys has no
    /// architecture of (Versal, unknown prefixes: its LUT6 fabric is the closest).
    public static func yosysFamily(forPart part: String) -> String {
        let families = candidates(forPart: part)
        if families.contains(where: sevenSeries.contains) { return "xc7" }
        if families.contains("virtexu") || families.contains("kintexu") { return "xcu" }
        return "xcup"
    }

    private static let sevenSeries: Set = [
        "virtex7", "kintex7", "kintex7l", "artix7", "artix7l", "aartix7", "zynq", "azynq", "spartan7", "aspartan7",
        "akintex7", "qartix7", "qkintex7", "qkintex7l", "qvirtex7", "qzynq",
    ]

    /// Part-name prefixes (longest first where one prefix starts another)
    /// and the families of the rest of the name.
    private static let seriesByPrefix: [(String, @Sendable (Substring) -> [String])] = [
        ("xc7v", { _ in ["virtex7"] }),
        ("xc7k", { _ in ["kintex7", "kintex7l"] }),
        ("xc7a", { _ in ["artix7", "artix7l"] }),
        ("xc7z", { _ in ["zynq"] }),
        ("xc7s", { _ in ["spartan7"] }),
        ("xa7a", { _ in ["aartix7"] }),
        ("xa7k", { _ in ["akintex7"] }),
        ("xa7z", { _ in ["azynq"] }),
        ("xa7s", { _ in ["aspartan7"] }),
        ("xq7a", { _ in ["qartix7"] }),
        ("xq7k", { _ in ["qkintex7", "qkintex7l"] }),
        ("xq7v", { _ in ["qvirtex7"] }),
        ("xq7z", { _ in ["qzynq"] }),
        // UltraScale+ device names end their number in `p` (xcvu9p, xcku5p); UltraScale's do not (xcvu095, xcku040).
        ("xcvu", { isPlusDevice($0) ? ["virtexuplus", "virtexuplusHBM", "virtexuplus58g"] : ["virtexu"] }),
        ("xcku", { isPlusDevice($0) ? ["kintexuplus"] : ["kintexu"] }),
        ("xczu", { _ in ["zynquplus", "zynquplusRFSOC"] }),
        ("xcau", { _ in ["artixuplus"] }),
        ("xcvc", { _ in ["versal"] }), ("xcve", { _ in ["versal"] }), ("xcvm", { _ in ["versal"] }),
        ("xcvp", { _ in ["versal"] }), ("xcvh", { _ in ["versal"] }),
    ]

    /// `9p-flgb2104-2-i` → true, `095-ffva2104-2-e` → false.
    private static func isPlusDevice(_ rest: Substring) -> Bool {
        let device = rest.prefix { $0 != "-" }
        return device.last == "p"
    }
}
