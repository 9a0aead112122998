import Foundation
import TestSupport
import Testing
@testable import Packaging

/// component.xml's ports against the top module as a real tool (yosys) reads
/// it from the Verilog copied into the IP's src/.
@Suite("Ports versus the Verilog top module")
struct TopModulePortsTests {
    static let topModule = """
        `default_nettype none
        module digits_lut (
            input  wire         clk,
            input  wire         rst,
            input  wire         in_valid,
            input  wire [127:0] in_data,
            output wire         out_valid,
            output wire [19:0]  out_data,
            output wire [3:0]   out_class
        );
            assign out_valid = in_valid & ~rst;
            assign out_data = in_data[19:0];
            assign out_class = in_data[3:0];
        endmodule
        `default_nettype wire

        """

    /// (direction, width) of every port of `module` in `verilog`, via yosys' JSON netlist.
    private func yosysPorts(of verilog: URL, module: String) throws -> [String: (String, Int)] {
        let json = verilog.deletingPathExtension().appendingPathExtension("json")
        let result = try ProcessRunner.run(tool: "yosys", ["-q", "-p", "read_verilog \(verilog.path); write_json \(json.path)"])
        try #require(result.status == 0, "yosys failed on \(verilog.path): \(result.stderr)")
        let netlist = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let modules = try #require(netlist["modules"] as? [String: Any])
        let ports = try #require((modules[module] as? [String: Any])?["ports"] as? [String: [String: Any]])
        return try ports.mapValues { port in
            let direction = try #require(port["direction"] as? String)
            return (direction == "input" ? "in" : "out", try #require(port["bits"] as? [Any]).count)
        }
    }

    @Test func componentPortsMatchTheTopModule() throws {
        let core = sampleCore()
        var rtl = sampleRTL(for: core)
        rtl["gen/rtl/digits_lut.v"] = Data(Self.topModule.utf8)
        let files = try Packager.ipCoreFiles(for: core, rtlContents: rtl)
        let root = try writeProject(files, rtl: rtl)
        defer { try? FileManager.default.removeItem(at: root) }

        let ipDirectory = root.appendingPathComponent(PackagingLayout(core: core).ipDirectory)
        let hdl = try yosysPorts(of: ipDirectory.appendingPathComponent("src/digits_lut.v"), module: "digits_lut")
        let document = try XMLTestDocument(Data(contentsOf: ipDirectory.appendingPathComponent("component.xml")))
        let names = document.strings("//spirit:model/spirit:ports/spirit:port/spirit:name")
        #expect(Set(names) == Set(hdl.keys))
        for name in names {
            let wire = "//spirit:port[spirit:name='\(name)']/spirit:wire"
            let left = document.string("\(wire)/spirit:vector/spirit:left").flatMap(Int.init) ?? 0
            let right = document.string("\(wire)/spirit:vector/spirit:right").flatMap(Int.init) ?? 0
            #expect(document.string("\(wire)/spirit:direction") == hdl[name]?.0, "direction of \(name)")
            #expect(left - right + 1 == hdl[name]?.1, "width of \(name)")
        }
    }
}
