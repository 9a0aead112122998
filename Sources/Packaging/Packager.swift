import Foundation

/// Packaging's entry points: each validates the description first and returns
/// the files to write, relative to the project root. Same inputs, same bytes.
public enum Packager {
    /// `gen/vivado/build.tcl` and `gen/vivado/clock.xdc`: the non-project
    /// Vivado flow (synthesis, implementation, reports).
    public static func vivadoBuildFiles(for core: IPCoreDescription) throws -> [PackagedFile] {
        try core.validate()
        return VivadoBuildScript.files(for: core)
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
        func copy(_ path: String, to relativePath: String) throws -> PackagedFile {
            guard let contents = rtlContents[path] else {
                throw PackagingError("IP files: no contents given for \(String(reflecting: path)); expected the bytes of every listed source and documentation file")
            }
            return PackagedFile(path: "\(layout.ipDirectory)/\(relativePath)", contents: contents)
        }
        let sources = try core.rtlFiles.map { try copy($0, to: layout.ipSourceRelativePath(of: $0)) }
        let documents = try core.documentationFiles.map { try copy($0, to: layout.ipDocumentRelativePath(of: $0)) }
        return [
            PackagedFile(path: layout.componentXML, contents: IPXactComponent.xml(for: core)),
            PackagedFile(path: "\(layout.ipDirectory)/\(layout.xguiRelativePath)", text: XGUIScript.script(for: core)),
        ] + sources + documents + [
            PackagedFile(path: PackagingLayout.packageIPScript, text: PackageIPScript.script(for: core)),
        ]
    }

    /// `gen/<name>.core`, the FuseSoC CAPI2 core file.
    public static func fuseSoCFiles(for core: IPCoreDescription) throws -> [PackagedFile] {
        try core.validate()
        return [PackagedFile(path: PackagingLayout(core: core).fuseSoCCore, text: FuseSoCCore.text(for: core))]
    }

    /// All of the above, in a fixed order.
    public static func allFiles(for core: IPCoreDescription, rtlContents: [String: Data]) throws -> [PackagedFile] {
        try vivadoBuildFiles(for: core) + ipCoreFiles(for: core, rtlContents: rtlContents) + fuseSoCFiles(for: core)
    }
}
