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
        #expect(throws: PackagingError("clock port: \"clock\" is not one of the top module's ports (clk, rst, in_valid, in_data, out_valid, out_data, out_class)")) {
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

    @Test func missingRTLContentsAreNamed() {
        let core = sampleCore()
        var rtl = sampleRTL(for: core)
        rtl["gen/rtl/digits_lut.v"] = nil
        #expect(throws: PackagingError("IP files: no contents given for \"gen/rtl/digits_lut.v\"; expected the bytes of every listed source and documentation file")) {
            try Packager.ipCoreFiles(for: core, rtlContents: rtl)
        }
    }
}
