/// Where Packaging's outputs live, relative to the project root (docs/method.md:
/// everything generated sits under `gen/`).
public struct PackagingLayout: Sendable, Hashable {
    public let core: IPCoreDescription

    public init(core: IPCoreDescription) {
        self.core = core
    }

    /// The folder of everything lutbuild generates: its one spelling. Packaging
    /// is the lowest module that writes there; `OutputLayout.generated` is this.
    public static let generated = "gen"
    public static let vivadoDirectory = "\(generated)/vivado"
    public static let buildScript = "\(vivadoDirectory)/build.tcl"
    public static let clockConstraints = "\(vivadoDirectory)/clock.xdc"
    public static let packageIPScript = "\(vivadoDirectory)/package_ip.tcl"
    /// Writes the reports for the design open in Vivado; build.tcl and the FuseSoC synthesis target share it.
    public static let reportsScript = "\(vivadoDirectory)/write_reports.tcl"
    /// Sourced by FuseSoC's Vivado project script: synthesis settings and the reports hook.
    public static let fuseSoCSynthesisScript = "\(vivadoDirectory)/fusesoc_synth.tcl"
    /// Where build.tcl writes the reports `VivadoReports.parse(directory:)` reads.
    public static let reportsDirectory = "\(vivadoDirectory)/reports"

    /// Report file names inside the reports directory.
    public enum Report {
        public static let utilization = "utilization.rpt"
        public static let hierarchicalUtilization = "utilization_hierarchical.rpt"
        public static let timingSummary = "timing_summary.rpt"
        public static let synthesisUtilization = "utilization_synth.rpt"
    }

    /// The IP repository directory users add to Vivado (`gen/ip`).
    public static let ipRepository = "\(generated)/ip"

    /// `gen/ip/<vendor>_<library>_<name>_<version>`, the packaged core.
    public var ipDirectory: String {
        "\(Self.ipRepository)/\(core.vendor)_\(core.library)_\(core.name)_\(core.version)"
    }

    public var componentXML: String { "\(ipDirectory)/component.xml" }

    /// The GUI script path inside the IP directory (`xgui/<name>_v1_0.tcl`).
    var xguiRelativePath: String { "xgui/\(core.name)_v\(core.versionTag).tcl" }

    /// Path of an RTL copy inside the IP directory (`src/<file>`).
    func ipSourceRelativePath(of rtlFile: String) -> String { "src/\(fileName(rtlFile))" }

    /// Path of a documentation file's copy inside the IP directory (`doc/<file>`).
    func ipDocumentRelativePath(of document: String) -> String { "doc/\(fileName(document))" }

    /// The GUI script, `<ipDirectory>/xgui/<name>_v1_0.tcl`.
    var xguiScript: String { "\(ipDirectory)/\(xguiRelativePath)" }

    /// Where an RTL file is copied, `<ipDirectory>/src/<file>`.
    func ipSourcePath(of rtlFile: String) -> String { "\(ipDirectory)/\(ipSourceRelativePath(of: rtlFile))" }

    /// Where a documentation file is copied, `<ipDirectory>/doc/<file>`.
    func ipDocumentPath(of document: String) -> String { "\(ipDirectory)/\(ipDocumentRelativePath(of: document))" }

    /// The FuseSoC CAPI2 core file, `gen/<name>.core`.
    public var fuseSoCCore: String { "\(Self.generated)/\(core.name).core" }
}

/// The path of `target` as seen from `directory`; both are relative to the
/// project root and free of `.`/`..` segments (checked by `validate()`).
func relativePath(to target: String, from directory: String) -> String {
    let from = directory.split(separator: "/")
    let to = target.split(separator: "/")
    var common = 0
    while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
    let ups = Array(repeating: "..", count: from.count - common)
    return (ups + to[common...].map(String.init)).joined(separator: "/")
}
