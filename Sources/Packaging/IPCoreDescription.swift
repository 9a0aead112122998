/// Everything Packaging needs to know about a generated design to emit the
/// Vivado flow, the IP-XACT core and the FuseSoC core file.
///
/// Packaging is independent of the network and RTL modules: the build engine
/// fills this in from `lutbuild.toml` and the emitted top module. Every name is
/// checked by `validate()` before any file is generated, so nothing unsafe
/// reaches TCL, XML or YAML.
public struct IPCoreDescription: Sendable, Hashable, Codable {
    /// IP-XACT VLNV vendor, e.g. a domain name such as `example.org`.
    public var vendor: String
    public var library: String
    /// Core name (a Verilog-style identifier).
    public var name: String
    /// Dotted version, e.g. `1.0`.
    public var version: String
    /// The top module the core instantiates.
    public var topModule: String
    /// Free text shown in Vivado's IP catalog and FuseSoC (one line).
    public var description: String
    public var ports: [HDLPort]
    /// The clock input; gets a `xilinx.com:signal:clock` interface and the
    /// timing constraint.
    public var clockPort: String
    /// The synchronous, active-high reset input.
    public var resetPort: String
    /// Verilog sources relative to the project root, in compile order.
    public var rtlFiles: [String]
    /// Simulation-only sources (testbench) relative to the project root; may be empty.
    public var simulationFiles: [String]
    /// Top module of the simulation sources; required when `simulationFiles` is not empty.
    public var simulationTop: String?
    /// Vivado part used by the build script and the FuseSoC synthesis target.
    public var part: String
    /// Target clock frequency in MHz; sets the clock period constraint.
    public var clockMHz: Double
    /// Xilinx device families the IP declares support for.
    public var families: [String]
    /// Revision of this version of the core, shown by Vivado.
    public var coreRevision: Int

    /// The part the LUT-network literature reports its results on.
    public static let defaultPart = "xcvu9p-flgb2104-2-i"
    /// The UltraScale+ families, where LUT networks are usually evaluated.
    public static let defaultFamilies = [
        "virtexuplus", "virtexuplusHBM", "virtexuplus58g", "kintexuplus", "zynquplus", "artixuplus",
    ]

    public init(
        vendor: String, library: String, name: String, version: String,
        topModule: String, description: String, ports: [HDLPort],
        clockPort: String = "clk", resetPort: String = "rst",
        rtlFiles: [String], simulationFiles: [String] = [], simulationTop: String? = nil,
        part: String = IPCoreDescription.defaultPart, clockMHz: Double,
        families: [String] = IPCoreDescription.defaultFamilies, coreRevision: Int = 1
    ) {
        self.vendor = vendor
        self.library = library
        self.name = name
        self.version = version
        self.topModule = topModule
        self.description = description
        self.ports = ports
        self.clockPort = clockPort
        self.resetPort = resetPort
        self.rtlFiles = rtlFiles
        self.simulationFiles = simulationFiles
        self.simulationTop = simulationTop
        self.part = part
        self.clockMHz = clockMHz
        self.families = families
        self.coreRevision = coreRevision
    }
}

extension IPCoreDescription {
    /// `vendor:library:name:version`, the identity used by IP-XACT and FuseSoC.
    public var vlnv: String { "\(vendor):\(library):\(name):\(version)" }

    /// The version with dots replaced, as Vivado spells it in file names (`1_0`).
    var versionTag: String { version.replacingOccurrences(of: ".", with: "_") }

    /// The name Vivado shows in its IP catalog, e.g. `digits_lut_v1_0`.
    var displayName: String { "\(name)_v\(versionTag)" }

    /// Clock period in nanoseconds, rounded to picoseconds as Vivado reports it.
    var clockPeriodNs: Double { (1000.0 / clockMHz * 1000).rounded() / 1000 }

    /// Clock frequency in Hz for the `FREQ_HZ` bus parameter.
    var clockHz: Int { Int((clockMHz * 1_000_000).rounded()) }
}
