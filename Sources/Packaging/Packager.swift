import Foundation

/// Packaging's entry points: each validates the description first and returns
/// the files to write, relative to the project root. Same inputs, same bytes.
public enum Packager {
    /// `gen/vivado/build.tcl` and `gen/vivado/clock.xdc`: the non-project
    /// Vivado flow (synthesis, implementation, reports); with AXI4-Stream
    /// interfaces also `gen/vivado/bd_example.tcl`, an example block design.
    public static func vivadoBuildFiles(for core: IPCoreDescription) throws -> [PackagedFile] {
        try core.validate()
        let example = BlockDesignExample.script(for: core).map { [PackagedFile(path: PackagingLayout.blockDesignExample, text: $0)] } ?? []
        return VivadoBuildScript.files(for: core) + example
    }

    /// The IP repository entry under `gen/ip/<vendor>_<library>_<name>_<version>/`
    /// (component.xml, the RTL copied into `src/`, the documentation files into
    /// `doc/`, the xgui script) plus `gen/vivado/package_ip.tcl`.
    ///
    /// - Parameter rtlContents: the bytes of every file in `core.rtlFiles` and
    ///   `core.documentationFiles`, keyed by the same path.
    public static func ipCoreFiles(for core: IPCoreDescription, rtlContents: [String: Data]) throws -> [PackagedFile] {
        try core.validate()
        let layout = PackagingLayout(core: core)
        func copy(_ path: String, to copyPath: String) throws -> PackagedFile {
            guard let contents = rtlContents[path] else {
                throw PackagingError(
                    "IP files: no contents given for \(String(reflecting: path)); expected the bytes of every listed source and"
                        + " documentation file"
                )
            }
            return PackagedFile(path: copyPath, contents: contents)
        }
        let sources = try core.rtlFiles.map { try copy($0, to: layout.ipSourcePath(of: $0)) }
        let documents = try core.documentationFiles.map { try copy($0, to: layout.ipDocumentPath(of: $0)) }
        return [
            PackagedFile(path: layout.componentXML, contents: IPXactComponent.xml(for: core)),
            PackagedFile(path: layout.xguiScript, text: XGUIScript.script(for: core)),
        ] + sources + documents + [
            PackagedFile(path: PackagingLayout.packageIPScript, text: PackageIPScript.script(for: core))
        ]
    }

    /// `gen/<name>.core`, the FuseSoC CAPI2 core file.
    public static func fuseSoCFiles(for core: IPCoreDescription) throws -> [PackagedFile] {
        try core.validate()
        return [PackagedFile(path: PackagingLayout(core: core).fuseSoCCore, text: FuseSoCCore.text(for: core))]
    }

    /// The paths `allFiles(for:rtlContents:)` writes, in its order, without
    /// generating the IP's files (a no-op build asks on every run).
    public static func outputPaths(for core: IPCoreDescription) throws -> [String] {
        let layout = PackagingLayout(core: core)
        return try vivadoBuildFiles(for: core).map(\.path)
            + [layout.componentXML, layout.xguiScript]
            + core.rtlFiles.map(layout.ipSourcePath) + core.documentationFiles.map(layout.ipDocumentPath)
            + [PackagingLayout.packageIPScript, layout.fuseSoCCore]
    }

    /// All of the above, in a fixed order.
    public static func allFiles(for core: IPCoreDescription, rtlContents: [String: Data]) throws -> [PackagedFile] {
        try vivadoBuildFiles(for: core) + ipCoreFiles(for: core, rtlContents: rtlContents) + fuseSoCFiles(for: core)
    }
}
