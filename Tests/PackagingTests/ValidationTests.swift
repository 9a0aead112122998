import Foundation
import Testing
@testable import Packaging

@Suite("Name validation")
struct ValidationTests {
    @Test func theSampleIsValid() throws {
        try sampleCore().validate()
    }

    /// A field to corrupt, the bad value, and the words the message must contain.
    struct BadInput: CustomTestStringConvertible, Sendable {
        var field: String
        var value: String
        var apply: @Sendable (inout IPCoreDescription, String) -> Void
        var testDescription: String { "\(field) = \(String(reflecting: value))" }
    }

    static let badNames = ["digits lut", "digits\"lut", "digits[0]", "{x}", "x$y", "1digit", "", "module", "a;b", "a\\b", "naïve"]

    static let badInputs: [BadInput] =
        badNames.map { BadInput(field: "name", value: $0) { $0.name = $1 } }
        + badNames.map { BadInput(field: "top module", value: $0) { $0.topModule = $1 } }
        + badNames.map { BadInput(field: "library", value: $0) { $0.library = $1 } }
        + badNames.map { BadInput(field: "port", value: $0) { core, value in core.ports[3].name = value } }
        + ["example org", "ex\"ample", "-example", "a:b", ""].map { BadInput(field: "vendor", value: $0) { $0.vendor = $1 } }
        + ["1.0 ", "v1", "1..0", "1.0]", ""].map { BadInput(field: "version", value: $0) { $0.version = $1 } }
        + ["xcvu9p flgb", "XCVU9P", "x[1]", "a--b", ""].map { BadInput(field: "part", value: $0) { $0.part = $1 } }
        + ["virtex uplus", "a\"b", ""].map { BadInput(field: "family", value: $0) { $0.families = [$1] } }
        + ["gen/rtl/a b.v", "/abs/top.v", "../top.v", "gen//top.v", "gen/rtl/top[1].v", "gen/rtl/top.vhd"]
        .map { BadInput(field: "source file", value: $0) { $0.rtlFiles = [$1] } }
        + ["line\nbreak", "tab\there"].map { BadInput(field: "description", value: $0) { $0.description = $1 } }

    @Test(arguments: badInputs)
    func rejectsWithAClearMessage(_ input: BadInput) {
        var core = sampleCore()
        input.apply(&core, input.value)
        let error = #expect(throws: PackagingError.self) { try core.validate() }
        #expect(error?.message.hasPrefix(input.field) == true, "\(error?.message ?? "")")
        // Every generator validates first, so nothing is produced.
        #expect(throws: PackagingError.self) { try Packager.allFiles(for: core, rtlContents: sampleRTL(for: core)) }
    }

    @Test func clockAndResetMustBeOneBitInputPorts() {
        var core = sampleCore()
        core.clockPort = "clock"
        #expect(
            throws: PackagingError(
                "clock port: \"clock\" is not one of the top module's ports (clk, rst, in_valid, in_data, out_valid, out_data, out_class)")
        ) {
            try core.validate()
        }
        core = sampleCore()
        core.resetPort = "in_data"
        #expect(throws: PackagingError("reset port: \"in_data\" must be a 1-bit scalar input")) { try core.validate() }
        core = sampleCore()
        core.ports[1].isVector = true
        #expect(throws: PackagingError("reset port: \"rst\" must be a 1-bit scalar input")) { try core.validate() }
        core = sampleCore()
        core.resetPort = "clk"
        #expect(throws: PackagingError.self) { try core.validate() }
    }

    @Test func rejectsDuplicatesAndImpossibleNumbers() {
        var core = sampleCore()
        core.ports.append(HDLPort(name: "in_data", direction: .output))
        #expect(throws: PackagingError("port: \"in_data\" appears more than once; expected unique values")) { try core.validate() }
        core = sampleCore()
        core.ports[3].width = 0
        #expect(throws: PackagingError.self) { try core.validate() }
        core = sampleCore()
        core.ports[3].isVector = false
        #expect(throws: PackagingError("port in_data: 128 bits but not a vector; expected isVector for ports wider than 1 bit")) {
            try core.validate()
        }
        for mhz in [0, -5, .nan, .infinity] {
            core = sampleCore()
            core.clockMHz = mhz
            #expect(throws: PackagingError.self) { try core.validate() }
        }
        core = sampleCore(rtlFiles: ["gen/a/top.v", "gen/b/top.v"])
        #expect(throws: PackagingError.self) { try core.validate() }
        core = sampleCore()
        core.simulationTop = nil
        #expect(throws: PackagingError.self) { try core.validate() }
    }

    /// A misspelled family, or a list without the part's own family, is an
    /// error; the defence-grade and automotive 7-series families are known.
    @Test func familiesMustBeKnownAndIncludeThePartsFamily() throws {
        var core = sampleCore()
        core.families = ["virtexplus"]
        let misspelled = #expect(throws: PackagingError.self) { try core.validate() }
        #expect(misspelled?.message.hasPrefix("families: \"virtexplus\" is not a device family Vivado knows") == true)

        core = sampleCore()
        core.families = ["kintexuplus", "zynquplus"]
        #expect(
            throws: PackagingError(
                "families: the list leaves out the family of part xcvu9p-flgb2104-2-i: expected it to include one of"
                    + " virtexuplus, virtexuplusHBM, virtexuplus58g"
            )
        ) { try core.validate() }

        for (part, family) in [
            ("xq7a100t-cs324-1i", "qartix7"), ("xq7k325t-rf900-2i", "qkintex7"), ("xq7k325t-rf900-2i", "qkintex7l"),
            ("xq7v485t-rf1930-2i", "qvirtex7"), ("xq7z020-cl400-1i", "qzynq"), ("xa7k160t-fbg676-1i", "akintex7"),
            ("xc7a35ticsg324-1l", "artix7"), ("xcku040-ffva1156-2-e", "kintexu"), ("xcku5p-ffvb676-2-e", "kintexuplus"),
            ("xcvu095-ffva2104-2-e", "virtexu"), ("xczu9eg-ffvb1156-2-e", "zynquplus"), ("xcvc1902-vsva2197-2mp-e-s", "versal"),
        ] {
            core = sampleCore()
            core.part = part
            core.families = [family]
            try core.validate()
            core.families = family == "virtex7" ? ["artix7"] : ["virtex7"]
            #expect(throws: PackagingError.self, "\(part)") { try core.validate() }
        }
        // A part whose prefix names no series lutbuild lists is not judged.
        core = sampleCore()
        core.part = "xcsu10p-sbvb625-2-i"
        core.families = ["virtexuplus"]
        try core.validate()
        #expect(IPCoreDescription.defaultFamilies.count == 26)
    }

    @Test func missingRTLContentsAreNamed() {
        let core = sampleCore()
        var rtl = sampleRTL(for: core)
        rtl["gen/rtl/digits_lut.v"] = nil
        #expect(
            throws: PackagingError(
                "IP files: no contents given for \"gen/rtl/digits_lut.v\"; expected the bytes of every listed source and documentation file"
            )
        ) {
            try Packager.ipCoreFiles(for: core, rtlContents: rtl)
        }
    }
}
