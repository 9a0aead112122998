import HDLNames

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
    /// The synchronous reset input, active high unless `resetActiveLow`.
    public var resetPort: String
    /// AXI convention (`aresetn`): the reset is active low.
    public var resetActiveLow: Bool
    /// The AXI4-Stream bus interfaces, clocked by `clockPort` (empty with raw ports).
    public var streams: [StreamBus]
    /// Verilog sources relative to the project root, in compile order.
    public var rtlFiles: [String]
    /// Simulation-only sources (testbench) relative to the project root; may be empty.
    public var simulationFiles: [String]
    /// Top module of the simulation sources; required when `simulationFiles` is not empty.
    public var simulationTop: String?
    /// Files the testbench reads by bare name (`$readmemh` vectors), relative to
    /// the project root; FuseSoC copies them into the simulator's run directory.
    public var simulationDataFiles: [String]
    /// Behavioural models of the vendor cells the RTL instantiates (lutbuild's
    /// own `LUT1`…`LUT6` for `primitives = "xilinx"`), relative to the project
    /// root. Simulation and lint only: FuseSoC's `sim` and `lint` targets read
    /// them; synthesis and the IP never do (Vivado brings its own cells).
    public var simulationModelFiles: [String]
    /// Files the IP's user needs beside the RTL (e.g. how raw features map to
    /// input codes), relative to the project root; copied into the IP's `doc/`
    /// and listed in the FuseSoC core.
    public var documentationFiles: [String]
    /// Clock cycles from an input sample to its output; 0 means the design is
    /// combinational and its clock input unused, so timing uses a virtual clock.
    public var latency: Int
    /// Vivado part used by the build script and the FuseSoC synthesis target.
    public var part: String
    /// Target clock frequency in MHz; sets the clock period constraint.
    public var clockMHz: Double
    /// Xilinx device families the IP declares support for.
    public var families: [String]
    /// Revision of this version of the core: Report IP Status and the IP cache
    /// see a changed core only when it changes (the build derives it from the RTL).
    public var coreRevision: Int
    /// Synthesis settings for the Vivado build script and the FuseSoC synthesis target.
    public var synthesis: SynthesisSettings

    /// The part the LUT-network literature reports its results on.
    public static let defaultPart = "xcvu9p-flgb2104-2-i"
    /// The families the core declares by default: every family lutbuild knows
    /// (`DeviceFamilies.all`), as wide as Vivado's own packager offers.
    public static let defaultFamilies = DeviceFamilies.all

    public init(
        vendor: String, library: String, name: String, version: String,
        topModule: String, description: String, ports: [HDLPort],
        clockPort: String = "clk", resetPort: String = "rst", resetActiveLow: Bool = false, streams: [StreamBus] = [],
        rtlFiles: [String], simulationFiles: [String] = [], simulationTop: String? = nil,
        simulationDataFiles: [String] = [], simulationModelFiles: [String] = [], documentationFiles: [String] = [], latency: Int = 1,
        part: String = IPCoreDescription.defaultPart, clockMHz: Double,
        families: [String] = IPCoreDescription.defaultFamilies, coreRevision: Int = 1,
        synthesis: SynthesisSettings = SynthesisSettings()
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
        self.resetActiveLow = resetActiveLow
        self.streams = streams
        self.rtlFiles = rtlFiles
        self.simulationFiles = simulationFiles
        self.simulationTop = simulationTop
        self.simulationDataFiles = simulationDataFiles
        self.simulationModelFiles = simulationModelFiles
        self.documentationFiles = documentationFiles
        self.latency = latency
        self.part = part
        self.clockMHz = clockMHz
        self.families = families
        self.coreRevision = coreRevision
        self.synthesis = synthesis
    }
}

/// How Vivado synthesises the design. The default is Vivado's; the
/// NeuraLUT/PolyLUT papers used `Flow_PerfOptimized_high` with retiming, so
/// figures made with that setting compare with the published tables.
public struct SynthesisSettings: Sendable, Hashable, Codable {
    public enum Strategy: String, Sendable, Hashable, Codable, CaseIterable {
        case vivadoDefault = "default"
        case perfOptimizedHigh = "Flow_PerfOptimized_high"
    }

    public var strategy: Strategy
    /// Register retiming during synthesis (`-retiming`, or `-global_retiming on` where that Vivado has it).
    public var retiming: Bool

    public init(strategy: Strategy = .vivadoDefault, retiming: Bool = false) {
        self.strategy = strategy
        self.retiming = retiming
    }

    /// The settings of the NeuraLUT and PolyLUT papers' Vivado figures.
    public static let papers = SynthesisSettings(strategy: .perfOptimizedHigh, retiming: true)

    /// One line for reports and generated files, e.g. `Flow_PerfOptimized_high, retiming`.
    public var summary: String {
        strategy.rawValue + (retiming ? ", retiming" : "")
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

    /// `POLARITY` of the reset interface.
    var resetPolarity: String { resetActiveLow ? "ACTIVE_LOW" : "ACTIVE_HIGH" }

    /// Whether the design has registers, so its clock input is used.
    var isClocked: Bool { latency > 0 }
}
