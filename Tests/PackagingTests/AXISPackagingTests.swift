import Foundation
import Testing
@testable import Packaging

/// A core shaped like lutbuild's AXI4-Stream top module (16-byte samples in, 4-byte results out, 3 bits of tuser).
func sampleAXISCore(slaveBytes: Int = 16, masterBytes: Int = 4, userBits: Int = 3) -> IPCoreDescription {
    var core = sampleCore()
    core.ports = [
        HDLPort(name: "aclk", direction: .input), HDLPort(name: "aresetn", direction: .input),
        HDLPort(name: "s_axis_tvalid", direction: .input), HDLPort(name: "s_axis_tready", direction: .output),
        HDLPort(name: "s_axis_tdata", direction: .input, width: 8 * slaveBytes), HDLPort(name: "s_axis_tlast", direction: .input),
        HDLPort(name: "m_axis_tvalid", direction: .output), HDLPort(name: "m_axis_tready", direction: .input),
        HDLPort(name: "m_axis_tdata", direction: .output, width: 8 * masterBytes), HDLPort(name: "m_axis_tlast", direction: .output),
    ]
    if userBits > 0 {
        core.ports += [
            HDLPort(name: "s_axis_tuser", direction: .input, width: userBits, isVector: true),
            HDLPort(name: "m_axis_tuser", direction: .output, width: userBits, isVector: true),
        ]
    }
    core.clockPort = "aclk"
    core.resetPort = "aresetn"
    core.resetActiveLow = true
    core.streams = [
        StreamBus(name: "s_axis", mode: .slave, dataBytes: slaveBytes, userBits: userBits),
        StreamBus(name: "m_axis", mode: .master, dataBytes: masterBytes, userBits: userBits),
    ]
    return core
}

@Suite("AXI4-Stream packaging")
struct AXISPackagingTests {
    let core = sampleAXISCore()

    private func component(_ core: IPCoreDescription) throws -> XMLTestDocument {
        let files = try Packager.ipCoreFiles(for: core, rtlContents: sampleRTL(for: core))
        return try XMLTestDocument(file(PackagingLayout(core: core).componentXML, in: files).contents)
    }

    @Test func componentValidatesAgainstTheIEEE1685_2009Schema() throws {
        let schema = try XMLSchema.ipxact.get()
        #expect(try component(core).validationErrors(against: schema) == [])
        #expect(try component(sampleAXISCore(slaveBytes: 1, masterBytes: 3, userBits: 0)).validationErrors(against: schema) == [])
    }

    @Test func streamsAreAxisBusInterfacesWithVivadoPortMaps() throws {
        let document = try component(core)
        for (name, mode) in [("s_axis", "slave"), ("m_axis", "master")] {
            let bus = "//spirit:busInterface[spirit:name='\(name)']"
            #expect(document.string("\(bus)/spirit:busType/@spirit:vendor") == "xilinx.com")
            #expect(document.string("\(bus)/spirit:busType/@spirit:library") == "interface")
            #expect(document.string("\(bus)/spirit:busType/@spirit:name") == "axis")
            #expect(document.string("\(bus)/spirit:busType/@spirit:version") == "1.0")
            #expect(document.string("\(bus)/spirit:abstractionType/@spirit:name") == "axis_rtl")
            #expect(document.strings("\(bus)/spirit:\(mode)").count == 1)
            #expect(
                document.strings("\(bus)/spirit:portMaps/spirit:portMap/spirit:logicalPort/spirit:name")
                    == ["TDATA", "TUSER", "TLAST", "TVALID", "TREADY"])
            #expect(
                document.strings("\(bus)/spirit:portMaps/spirit:portMap/spirit:physicalPort/spirit:name")
                    == ["tdata", "tuser", "tlast", "tvalid", "tready"].map { "\(name)_\($0)" })
            // As in Vivado-packaged cores: no bus parameters; IP Integrator reads the widths from the ports.
            #expect(document.strings("\(bus)/spirit:parameters").isEmpty)
        }
        #expect(document.string("//spirit:port[spirit:name='s_axis_tdata']/spirit:wire/spirit:vector/spirit:left") == "127")
        #expect(document.string("//spirit:port[spirit:name='m_axis_tuser']/spirit:wire/spirit:vector/spirit:left") == "2")
    }

    @Test func clockListsTheStreamsAndResetIsActiveLow() throws {
        let document = try component(core)
        let clock = "//spirit:busInterface[spirit:busType/@spirit:name='clock']"
        #expect(document.string("\(clock)/spirit:name") == "aclk")
        #expect(document.string("\(clock)//spirit:parameter[spirit:name='ASSOCIATED_BUSIF']/spirit:value") == "s_axis:m_axis")
        #expect(document.string("\(clock)//spirit:parameter[spirit:name='ASSOCIATED_RESET']/spirit:value") == "aresetn")
        let reset = "//spirit:busInterface[spirit:busType/@spirit:name='reset']"
        #expect(document.string("\(reset)/spirit:portMaps/spirit:portMap/spirit:physicalPort/spirit:name") == "aresetn")
        #expect(document.string("\(reset)//spirit:parameter[spirit:name='POLARITY']/spirit:value") == "ACTIVE_LOW")
        // Raw cores keep no ASSOCIATED_BUSIF.
        #expect(try component(sampleCore()).strings("//spirit:parameter[spirit:name='ASSOCIATED_BUSIF']").isEmpty)
    }

    @Test func aStreamPortOfTheWrongWidthIsRefused() {
        var broken = core
        broken.streams[1].dataBytes = 5
        #expect(throws: PackagingError.self) { try broken.validate() }
        var missing = core
        missing.ports.removeAll { $0.name == "m_axis_tlast" }
        #expect(throws: PackagingError.self) { try missing.validate() }
    }

    @Test func blockDesignExampleParsesInTclshWithVivadoStubbed() throws {
        let files = try Packager.allFiles(for: core, rtlContents: sampleRTL(for: core))
        #expect(files.contains { $0.path == PackagingLayout.blockDesignExample })
        let root = try writeProject(files, rtl: sampleRTL(for: core))
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.blockDesignExample))
        #expect(recorded.contains("create_bd_cell -type ip -vlnv example.org:lutnn:digits_lut:1.0 digits_lut"))
        #expect(recorded.contains("create_bd_cell -type ip -vlnv xilinx.com:ip:axi_dma dma"))
        // 16 bytes in: straight from the DMA; 4 bytes out: straight to it.
        #expect(recorded.contains("connect_bd_intf_net intf_pin:dma/M_AXIS_MM2S intf_pin:digits_lut/s_axis"))
        #expect(recorded.contains("connect_bd_intf_net intf_pin:digits_lut/m_axis intf_pin:dma/S_AXIS_S2MM"))
        #expect(recorded.contains("connect_bd_net pin:reset/peripheral_aresetn pin:digits_lut/aresetn"))
        #expect(
            recorded.contains {
                $0.hasPrefix("set_property ip_repo_paths") && $0.contains(root.appendingPathComponent("gen/ip").standardizedFileURL.path)
            })
        #expect(recorded.last?.hasPrefix("add_files -norecurse ") == true)
    }

    @Test func blockDesignExamplePadsAndTrimsOddWidths() throws {
        let odd = sampleAXISCore(slaveBytes: 13, masterBytes: 3, userBits: 0)
        let root = try writeProject(Packager.allFiles(for: odd, rtlContents: sampleRTL(for: odd)), rtl: sampleRTL(for: odd))
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.blockDesignExample))
        #expect(
            recorded.contains {
                $0.contains("CONFIG.S_TDATA_NUM_BYTES 16 CONFIG.M_TDATA_NUM_BYTES 13") && $0.contains("CONFIG.TDATA_REMAP {tdata[103:0]}")
            })
        #expect(
            recorded.contains {
                $0.contains("CONFIG.S_TDATA_NUM_BYTES 3 CONFIG.M_TDATA_NUM_BYTES 4") && $0.contains("CONFIG.TDATA_REMAP {8'b0,tdata[23:0]}")
            })
        #expect(recorded.contains("connect_bd_intf_net intf_pin:to_digits_lut/M_AXIS intf_pin:digits_lut/s_axis"))
    }

    @Test func blockDesignExampleStopsOnStreamsWiderThanTheDMA() throws {
        let wide = sampleAXISCore(slaveBytes: 196, masterBytes: 4, userBits: 0)
        let root = try writeProject(Packager.allFiles(for: wide, rtlContents: sampleRTL(for: wide)), rtl: sampleRTL(for: wide))
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: (any Error).self) { try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.blockDesignExample)) }
    }

    @Test func rawCoresHaveNoBlockDesignExample() throws {
        let files = try Packager.allFiles(for: sampleCore(), rtlContents: sampleRTL(for: sampleCore()))
        #expect(!files.contains { $0.path == PackagingLayout.blockDesignExample })
    }

    @Test func packageIPScriptDeclaresTheStreams() throws {
        let root = try writeProject(Packager.allFiles(for: core, rtlContents: sampleRTL(for: core)), rtl: sampleRTL(for: core))
        defer { try? FileManager.default.removeItem(at: root) }
        let recorded = try VivadoStubs.run(script: root.appendingPathComponent(PackagingLayout.packageIPScript))
        #expect(recorded.contains("ipx::infer_bus_interface s_axis xilinx.com:interface:axis_rtl:1.0 core_1"))
        #expect(recorded.contains("set_property interface_mode master busif:m_axis"))
        #expect(recorded.contains("set_property value s_axis:m_axis param:busif:aclk/ASSOCIATED_BUSIF"))
        #expect(recorded.contains("set_property value ACTIVE_LOW param:busif:aresetn/POLARITY"))
    }
}
