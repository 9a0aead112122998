import Foundation

/// `component.xml`: the IEEE 1685-2009 ("spirit") description Vivado reads
/// from an IP repository, with the Xilinx vendor extensions it expects.
///
/// Checksums and creation time that Vivado itself would add are left out on
/// purpose: the file must be byte-identical for identical inputs.
enum IPXactComponent {
    static let spiritNamespace = "http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009"
    static let xilinxNamespace = "http://www.xilinx.com"
    static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    /// The view names Vivado uses for any-language synthesis, behavioural simulation and the GUI.
    enum View {
        static let synthesis = "xilinx_anylanguagesynthesis"
        static let simulation = "xilinx_anylanguagebehavioralsimulation"
        static let gui = "xilinx_xpgui"
        /// What the IP's user needs beside the RTL: the input thresholds and output scales.
        static let readme = "xilinx_readme"
        static func fileSet(_ view: String) -> String { "\(view)_view_fileset" }
    }

    /// The Vivado release whose packager layout this file follows.
    static let xilinxVersion = "2020.1"

    static func xml(for core: IPCoreDescription) -> Data {
        let layout = PackagingLayout(core: core)
        let writer = XMLTreeWriter(
            root: "component", prefix: "spirit",
            namespaces: [
                "xilinx": xilinxNamespace, "spirit": spiritNamespace, "xsi": xsiNamespace,
            ])
        let root = writer.root
        writer.element(root, "spirit:vendor", text: core.vendor)
        writer.element(root, "spirit:library", text: core.library)
        writer.element(root, "spirit:name", text: core.name)
        writer.element(root, "spirit:version", text: core.version)
        addBusInterfaces(writer, core)
        addModel(writer, core)
        addChoices(writer)
        addFileSets(writer, core, layout)
        writer.element(root, "spirit:description", text: core.description)
        let parameters = writer.element(root, "spirit:parameters")
        let componentName = writer.element(parameters, "spirit:parameter")
        writer.element(componentName, "spirit:name", text: "Component_Name")
        writer.element(
            componentName, "spirit:value", text: core.displayName,
            attributes: [
                "spirit:resolve": "user", "spirit:id": "PARAM_VALUE.Component_Name", "spirit:order": "1",
            ])
        addVendorExtensions(writer, core)
        return writer.serialized()
    }

    // MARK: - Bus interfaces

    private static func addBusInterfaces(_ writer: XMLTreeWriter, _ core: IPCoreDescription) {
        let interfaces = writer.element(writer.root, "spirit:busInterfaces")
        // No FREQ_HZ: as with Vivado's own inference, IP Integrator takes the frequency
        // from whatever clock drives the block; clock_mhz only sets the build's constraint.
        for stream in core.streams {
            addStreamInterface(writer, interfaces, stream)
        }
        // ASSOCIATED_BUSIF names the stream interfaces this clock times, colon-separated as Vivado writes it.
        let associated = core.streams.isEmpty ? [] : [("ASSOCIATED_BUSIF", core.streams.map(\.name).joined(separator: ":"), String?.none)]
        addSignalInterface(
            writer, interfaces, port: core.clockPort, kind: "clock", logicalPort: "CLK",
            parameters: associated + [("ASSOCIATED_RESET", core.resetPort, nil)])
        addSignalInterface(
            writer, interfaces, port: core.resetPort, kind: "reset", logicalPort: "RST",
            parameters: [
                ("POLARITY", core.resetPolarity, polarityChoice)
            ])
    }

    /// A `xilinx.com:interface:axis:1.0` interface: the port map Vivado's
    /// packager infers from `<name>_t*` ports and, like Vivado-packaged
    /// cores, no bus parameters: IP Integrator reads TDATA_NUM_BYTES,
    /// TUSER_WIDTH and HAS_TLAST from the ports (docs/vivado.md, "AXI4-Stream interfaces").
    private static func addStreamInterface(_ writer: XMLTreeWriter, _ parent: XMLTreeWriter.Node, _ stream: StreamBus) {
        let interface = writer.element(parent, "spirit:busInterface")
        writer.element(interface, "spirit:name", text: stream.name)
        writer.element(
            interface, "spirit:busType",
            attributes: [
                "spirit:vendor": "xilinx.com", "spirit:library": "interface", "spirit:name": "axis", "spirit:version": "1.0",
            ])
        writer.element(
            interface, "spirit:abstractionType",
            attributes: [
                "spirit:vendor": "xilinx.com", "spirit:library": "interface", "spirit:name": "axis_rtl", "spirit:version": "1.0",
            ])
        writer.element(interface, stream.mode == .master ? "spirit:master" : "spirit:slave")
        let portMaps = writer.element(interface, "spirit:portMaps")
        for (logical, physical) in stream.portMap {
            let portMap = writer.element(portMaps, "spirit:portMap")
            writer.element(writer.element(portMap, "spirit:logicalPort"), "spirit:name", text: logical)
            writer.element(writer.element(portMap, "spirit:physicalPort"), "spirit:name", text: physical)
        }
    }

    /// The choice list Vivado's packager writes for reset polarities (same name).
    static let polarityChoice = "choice_list_9d8b0d81"

    private static func addChoices(_ writer: XMLTreeWriter) {
        let choice = writer.element(writer.element(writer.root, "spirit:choices"), "spirit:choice")
        writer.element(choice, "spirit:name", text: polarityChoice)
        for polarity in ["ACTIVE_HIGH", "ACTIVE_LOW"] {
            writer.element(choice, "spirit:enumeration", text: polarity)
        }
    }

    /// A `xilinx.com:signal:<kind>:1.0` slave interface named after its single port.
    private static func addSignalInterface(
        _ writer: XMLTreeWriter, _ parent: XMLTreeWriter.Node,
        port: String, kind: String, logicalPort: String, parameters: [(name: String, value: String, choice: String?)]
    ) {
        let interface = writer.element(parent, "spirit:busInterface")
        writer.element(interface, "spirit:name", text: port)
        writer.element(
            interface, "spirit:busType",
            attributes: [
                "spirit:vendor": "xilinx.com", "spirit:library": "signal", "spirit:name": kind, "spirit:version": "1.0",
            ])
        writer.element(
            interface, "spirit:abstractionType",
            attributes: [
                "spirit:vendor": "xilinx.com", "spirit:library": "signal", "spirit:name": "\(kind)_rtl", "spirit:version": "1.0",
            ])
        writer.element(interface, "spirit:slave")
        let portMap = writer.element(writer.element(interface, "spirit:portMaps"), "spirit:portMap")
        writer.element(writer.element(portMap, "spirit:logicalPort"), "spirit:name", text: logicalPort)
        writer.element(writer.element(portMap, "spirit:physicalPort"), "spirit:name", text: port)
        let parametersNode = writer.element(interface, "spirit:parameters")
        for (name, value, choice) in parameters {
            let parameter = writer.element(parametersNode, "spirit:parameter")
            writer.element(parameter, "spirit:name", text: name)
            let id = "BUSIFPARAM_VALUE.\(port.uppercased()).\(name)"
            if let choice {
                writer.element(parameter, "spirit:value", text: value, attributes: ["spirit:id": id, "spirit:choiceRef": choice])
            } else {
                writer.element(parameter, "spirit:value", text: value, attributes: ["spirit:id": id])
            }
        }
    }

    // MARK: - Model: views and ports

    private static func addModel(_ writer: XMLTreeWriter, _ core: IPCoreDescription) {
        let model = writer.element(writer.root, "spirit:model")
        let views = writer.element(model, "spirit:views")
        addView(
            writer, views, name: View.synthesis, displayName: "Synthesis",
            environment: ":vivado.xilinx.com:synthesis", top: core.topModule)
        addView(
            writer, views, name: View.simulation, displayName: "Simulation",
            environment: ":vivado.xilinx.com:simulation", top: core.topModule)
        addView(
            writer, views, name: View.gui, displayName: "UI Layout",
            environment: ":vivado.xilinx.com:xgui.ui", top: nil)
        if !core.documentationFiles.isEmpty {
            addView(
                writer, views, name: View.readme, displayName: "Readme",
                environment: ":vivado.xilinx.com:docs.readme", top: nil)
        }
        let ports = writer.element(model, "spirit:ports")
        for port in core.ports {
            addPort(writer, ports, port)
        }
    }

    private static func addView(
        _ writer: XMLTreeWriter, _ parent: XMLTreeWriter.Node,
        name: String, displayName: String, environment: String, top: String?
    ) {
        let view = writer.element(parent, "spirit:view")
        writer.element(view, "spirit:name", text: name)
        writer.element(view, "spirit:displayName", text: displayName)
        writer.element(view, "spirit:envIdentifier", text: environment)
        if let top {
            writer.element(view, "spirit:language", text: "Verilog")
            writer.element(view, "spirit:modelName", text: top)
        }
        let fileSetRef = writer.element(view, "spirit:fileSetRef")
        writer.element(fileSetRef, "spirit:localName", text: View.fileSet(name))
    }

    private static func addPort(_ writer: XMLTreeWriter, _ parent: XMLTreeWriter.Node, _ port: HDLPort) {
        let portNode = writer.element(parent, "spirit:port")
        writer.element(portNode, "spirit:name", text: port.name)
        let wire = writer.element(portNode, "spirit:wire")
        writer.element(wire, "spirit:direction", text: port.direction.rawValue)
        if port.isVector {
            let vector = writer.element(wire, "spirit:vector")
            writer.element(vector, "spirit:left", text: String(port.width - 1), attributes: ["spirit:format": "long"])
            writer.element(vector, "spirit:right", text: "0", attributes: ["spirit:format": "long"])
        }
        let typeDef = writer.element(writer.element(wire, "spirit:wireTypeDefs"), "spirit:wireTypeDef")
        writer.element(typeDef, "spirit:typeName", text: "wire")
        writer.element(typeDef, "spirit:viewNameRef", text: View.synthesis)
        writer.element(typeDef, "spirit:viewNameRef", text: View.simulation)
        // No driver default: an unconnected clock or input must be an error in IP Integrator, not a silent 0.
    }

    // MARK: - File sets

    private static func addFileSets(_ writer: XMLTreeWriter, _ core: IPCoreDescription, _ layout: PackagingLayout) {
        let fileSets = writer.element(writer.root, "spirit:fileSets")
        for view in [View.synthesis, View.simulation] {
            let fileSet = writer.element(fileSets, "spirit:fileSet")
            writer.element(fileSet, "spirit:name", text: View.fileSet(view))
            for rtlFile in core.rtlFiles {
                let file = writer.element(fileSet, "spirit:file")
                writer.element(file, "spirit:name", text: layout.ipSourceRelativePath(of: rtlFile))
                writer.element(file, "spirit:fileType", text: rtlFile.hasSuffix(".sv") ? "systemVerilogSource" : "verilogSource")
            }
        }
        let guiSet = writer.element(fileSets, "spirit:fileSet")
        writer.element(guiSet, "spirit:name", text: View.fileSet(View.gui))
        let guiFile = writer.element(guiSet, "spirit:file")
        writer.element(guiFile, "spirit:name", text: layout.xguiRelativePath)
        writer.element(guiFile, "spirit:fileType", text: "tclSource")
        writer.element(guiFile, "spirit:userFileType", text: "XGUI_VERSION_2")
        if !core.documentationFiles.isEmpty {
            let docSet = writer.element(fileSets, "spirit:fileSet")
            writer.element(docSet, "spirit:name", text: View.fileSet(View.readme))
            for document in core.documentationFiles {
                let file = writer.element(docSet, "spirit:file")
                writer.element(file, "spirit:name", text: layout.ipDocumentRelativePath(of: document))
                writer.element(file, "spirit:userFileType", text: "text")
            }
        }
    }

    // MARK: - Xilinx extensions

    private static func addVendorExtensions(_ writer: XMLTreeWriter, _ core: IPCoreDescription) {
        let extensions = writer.element(writer.root, "spirit:vendorExtensions")
        let coreExtensions = writer.element(extensions, "xilinx:coreExtensions")
        let families = writer.element(coreExtensions, "xilinx:supportedFamilies")
        for family in core.families {
            writer.element(families, "xilinx:family", text: family, attributes: ["xilinx:lifeCycle": "Production"])
        }
        let taxonomies = writer.element(coreExtensions, "xilinx:taxonomies")
        writer.element(taxonomies, "xilinx:taxonomy", text: "/UserIP")
        writer.element(coreExtensions, "xilinx:displayName", text: core.displayName)
        writer.element(coreExtensions, "xilinx:coreRevision", text: String(core.coreRevision))
        let packagingInfo = writer.element(extensions, "xilinx:packagingInfo")
        writer.element(packagingInfo, "xilinx:xilinxVersion", text: xilinxVersion)
    }
}
