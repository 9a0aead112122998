import Foundation
import Testing
@testable import Packaging

@Suite("IP-XACT component.xml")
struct IPXactComponentTests {
    let core = sampleCore()
    let files: [PackagedFile]
    let document: XMLTestDocument

    init() throws {
        files = try Packager.ipCoreFiles(for: core, rtlContents: sampleRTL(for: core))
        document = try XMLTestDocument(file(PackagingLayout(core: core).componentXML, in: files).contents)
    }

    @Test func validatesAgainstTheIEEE1685_2009Schema() throws {
        let schema = try XMLSchema.ipxact.get()
        #expect(document.validationErrors(against: schema) == [])
    }

    @Test func schemaValidationCatchesABrokenComponent() throws {
        let schema = try XMLSchema.ipxact.get()
        let xml = try text(file(PackagingLayout(core: core).componentXML, in: files))
        let broken = xml.replacingOccurrences(of: "<spirit:version>1.0</spirit:version>", with: "")
        #expect(broken != xml)
        #expect(try !XMLTestDocument(Data(broken.utf8)).validationErrors(against: schema).isEmpty)
    }

    @Test func validatesForEveryDescriptionShape() throws {
        let schema = try XMLSchema.ipxact.get()
        var minimal = sampleCore(rtlFiles: ["top.sv"], simulationFiles: [], documentationFiles: [])
        minimal.ports = [HDLPort(name: "clk", direction: .input), HDLPort(name: "rst", direction: .input)]
        minimal.families = ["artix7"]
        minimal.part = "xc7a35tcsg324-1"
        let xml = try Packager.ipCoreFiles(for: minimal, rtlContents: sampleRTL(for: minimal))[0]
        #expect(try XMLTestDocument(xml.contents).validationErrors(against: schema) == [])
    }

    @Test func identifiesTheCoreByItsVLNV() {
        #expect(document.string("/spirit:component/spirit:vendor") == "example.org")
        #expect(document.string("/spirit:component/spirit:library") == "lutnn")
        #expect(document.string("/spirit:component/spirit:name") == "digits_lut")
        #expect(document.string("/spirit:component/spirit:version") == "1.0")
        #expect(document.string("/spirit:component/spirit:description") == core.description)
    }

    @Test func hasTheSynthesisSimulationGUIAndReadmeViews() {
        let views = "/spirit:component/spirit:model/spirit:views/spirit:view"
        #expect(
            document.strings("\(views)/spirit:name") == [
                "xilinx_anylanguagesynthesis", "xilinx_anylanguagebehavioralsimulation", "xilinx_xpgui", "xilinx_readme",
            ])
        #expect(
            document.strings("\(views)/spirit:envIdentifier") == [
                ":vivado.xilinx.com:synthesis", ":vivado.xilinx.com:simulation", ":vivado.xilinx.com:xgui.ui",
                ":vivado.xilinx.com:docs.readme",
            ])
        // The input thresholds and output scales travel with the IP, as text files.
        let readme = "//spirit:fileSet[spirit:name='xilinx_readme_view_fileset']/spirit:file"
        #expect(document.strings("\(readme)/spirit:name") == ["doc/digits_lut_input_thresholds.json", "doc/digits_lut_output_codes.json"])
        #expect(document.strings("\(readme)/spirit:userFileType") == ["text", "text"])
        #expect(document.strings("\(views)[spirit:modelName]/spirit:modelName") == ["digits_lut", "digits_lut"])
        // Every view's file set exists.
        for fileSet in document.strings("\(views)/spirit:fileSetRef/spirit:localName") {
            #expect(document.strings("//spirit:fileSets/spirit:fileSet[spirit:name='\(fileSet)']").count == 1)
        }
    }

    @Test func fileSetsMatchTheFilesOnDisk() throws {
        let root = try writeProject(files, rtl: sampleRTL(for: core))
        defer { try? FileManager.default.removeItem(at: root) }
        let ipDirectory = root.appendingPathComponent(PackagingLayout(core: core).ipDirectory)
        let referenced = Set(document.strings("//spirit:fileSets/spirit:fileSet/spirit:file/spirit:name"))
        for name in referenced {
            #expect(FileManager.default.fileExists(atPath: ipDirectory.appendingPathComponent(name).path), "missing \(name)")
        }
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: ipDirectory.path).filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: ipDirectory.appendingPathComponent($0).path, isDirectory: &isDirectory)
            return !isDirectory.boolValue && $0 != "component.xml"
        }
        #expect(Set(onDisk) == referenced)
        // Synthesis sources keep the compile order, and are the RTL bytes.
        let synthesis = document.strings(
            "//spirit:fileSet[spirit:name='xilinx_anylanguagesynthesis_view_fileset']/spirit:file/spirit:name")
        #expect(synthesis == ["src/digits_lut_layer0.v", "src/digits_lut_layer1.v", "src/digits_lut.v"])
        #expect(
            try Data(contentsOf: ipDirectory.appendingPathComponent("src/digits_lut.v"))
                == sampleRTL(for: core)["gen/rtl/digits_lut.v"])
        #expect(
            document.string("//spirit:fileSet[spirit:name='xilinx_xpgui_view_fileset']/spirit:file/spirit:name")
                == "xgui/digits_lut_v1_0.tcl")
    }

    @Test func portsMatchTheDescription() {
        let ports = "/spirit:component/spirit:model/spirit:ports/spirit:port"
        #expect(document.strings("\(ports)/spirit:name") == core.ports.map(\.name))
        for port in core.ports {
            let wire = "\(ports)[spirit:name='\(port.name)']/spirit:wire"
            #expect(document.string("\(wire)/spirit:direction") == port.direction.rawValue)
            if port.isVector {
                #expect(document.string("\(wire)/spirit:vector/spirit:left") == String(port.width - 1))
                #expect(document.string("\(wire)/spirit:vector/spirit:right") == "0")
            } else {
                #expect(document.strings("\(wire)/spirit:vector").isEmpty)
            }
        }
    }

    @Test func aOneBitVectorKeepsItsRange() throws {
        var core = sampleCore()
        core.ports[6] = HDLPort(name: "out_class", direction: .output, width: 1, isVector: true)
        let xml = try Packager.ipCoreFiles(for: core, rtlContents: sampleRTL(for: core))[0]
        let document = try XMLTestDocument(xml.contents)
        let vector = "//spirit:port[spirit:name='out_class']/spirit:wire/spirit:vector"
        #expect(document.string("\(vector)/spirit:left") == "0")
        #expect(document.string("\(vector)/spirit:right") == "0")
        #expect(document.strings("//spirit:port[spirit:name='out_valid']/spirit:wire/spirit:vector").isEmpty)
    }

    @Test func clockInterfaceIsAssociatedWithTheReset() {
        let clock = "//spirit:busInterface[spirit:busType/@spirit:name='clock']"
        #expect(document.string("\(clock)/spirit:busType/@spirit:vendor") == "xilinx.com")
        #expect(document.string("\(clock)/spirit:busType/@spirit:library") == "signal")
        #expect(document.string("\(clock)/spirit:busType/@spirit:version") == "1.0")
        #expect(document.string("\(clock)/spirit:abstractionType/@spirit:name") == "clock_rtl")
        #expect(document.string("\(clock)/spirit:portMaps/spirit:portMap/spirit:physicalPort/spirit:name") == "clk")
        #expect(document.string("\(clock)/spirit:portMaps/spirit:portMap/spirit:logicalPort/spirit:name") == "CLK")
        #expect(document.string("\(clock)/spirit:parameters/spirit:parameter[spirit:name='ASSOCIATED_RESET']/spirit:value") == "rst")
        // No fixed FREQ_HZ: IP Integrator takes it from the clock that drives the block.
        #expect(document.strings("//spirit:parameter[spirit:name='FREQ_HZ']").isEmpty)
    }

    /// Vivado writes no driver default on any port: an unconnected input must not tie off silently.
    @Test func inputsHaveNoDriverDefault() {
        #expect(document.strings("//spirit:port/spirit:wire/spirit:driver").isEmpty)
        #expect(document.strings("//spirit:logicalName").isEmpty)
    }

    @Test func resetInterfaceIsActiveHigh() {
        let reset = "//spirit:busInterface[spirit:busType/@spirit:name='reset']"
        #expect(document.string("\(reset)/spirit:name") == "rst")
        #expect(document.string("\(reset)/spirit:abstractionType/@spirit:name") == "reset_rtl")
        #expect(document.string("\(reset)/spirit:portMaps/spirit:portMap/spirit:physicalPort/spirit:name") == "rst")
        #expect(document.string("\(reset)/spirit:parameters/spirit:parameter[spirit:name='POLARITY']/spirit:value") == "ACTIVE_HIGH")
        // A choice list, as Vivado's packager writes it.
        let choice = document.string("\(reset)//spirit:parameter[spirit:name='POLARITY']/spirit:value/@spirit:choiceRef")
        #expect(choice == "choice_list_9d8b0d81")
        #expect(
            document.strings("/spirit:component/spirit:choices/spirit:choice[spirit:name='\(choice ?? "")']/spirit:enumeration")
                == ["ACTIVE_HIGH", "ACTIVE_LOW"])
    }

    @Test func xilinxExtensionsDescribeFamiliesTaxonomyAndPackaging() {
        let extensions = "/spirit:component/spirit:vendorExtensions"
        #expect(
            document.strings("\(extensions)/xilinx:coreExtensions/xilinx:supportedFamilies/xilinx:family")
                == IPCoreDescription.defaultFamilies)
        #expect(document.strings("\(extensions)//xilinx:family/@xilinx:lifeCycle").allSatisfy { $0 == "Production" })
        #expect(document.string("\(extensions)/xilinx:coreExtensions/xilinx:taxonomies/xilinx:taxonomy") == "/UserIP")
        #expect(document.string("\(extensions)/xilinx:coreExtensions/xilinx:displayName") == "digits_lut_v1_0")
        #expect(document.string("\(extensions)/xilinx:coreExtensions/xilinx:coreRevision") == "1")
        #expect(document.string("\(extensions)/xilinx:packagingInfo/xilinx:xilinxVersion") == "2020.1")
        #expect(document.string("//spirit:parameter[spirit:name='Component_Name']/spirit:value") == "digits_lut_v1_0")
    }

    @Test func freeTextIsEscapedByLibxml2() throws {
        let xml = try text(file(PackagingLayout(core: core).componentXML, in: files))
        #expect(xml.contains("&quot;quoted&quot; &amp; {braced}") || xml.contains("\"quoted\" &amp; {braced}"))
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<spirit:component"))
    }
}
