import Testing
@testable import HDLNames

/// Names in generated hardware and files.
@Suite struct IdentifierTests {
    @Test(arguments: ["top", "_x", "nn_2", "Top9"]) func verilogIdentifiers(_ name: String) {
        #expect(Identifiers.isVerilogIdentifier(name))
    }

    @Test(arguments: ["", "2x", "module", "wire", "a-b", "a b", "a$b"]) func notVerilogIdentifiers(_ name: String) {
        #expect(!Identifiers.isVerilogIdentifier(name))
    }

    @Test func aDesignNameIsBoundedAndNotTheTestbenchs() {
        #expect(Identifiers.designNameProblem("classifier") == nil)
        #expect(Identifiers.designNameProblem(String(repeating: "a", count: Identifiers.maxDesignNameLength)) == nil)
        #expect(
            Identifiers.designNameProblem(String(repeating: "a", count: Identifiers.maxDesignNameLength + 1))?
                .contains("expected at most") == true)
        #expect(Identifiers.designNameProblem(Identifiers.testbenchModule)?.contains("testbench") == true)
        #expect(Identifiers.designNameProblem("begin")?.contains("Verilog identifier") == true)
    }

    @Test func partsVersionsVendorsAndPaths() {
        #expect(Identifiers.isPartName("xcvu9p-flgb2104-2-i"))
        #expect(!Identifiers.isPartName("XCVU9P") && !Identifiers.isPartName("xcvu9p--2"))
        #expect(Identifiers.isDottedVersion("2.10.3") && !Identifiers.isDottedVersion("1.") && !Identifiers.isDottedVersion("v1"))
        #expect(Identifiers.isVendor("example.org") && !Identifiers.isVendor("9lives"))
        #expect(Identifiers.isSafeRelativePath("gen/rtl/top.v"))
        for path in ["/etc/passwd", "gen/../x", "gen//x", "./x", "a b"] { #expect(!Identifiers.isSafeRelativePath(path), "\(path)") }
        #expect(!Identifiers.isSingleLineText("a\nb") && Identifiers.isSingleLineText("a – b"))
    }
}

/// Device families: what a part belongs to, and yosys' architecture for it.
@Suite struct DeviceFamiliesTests {
    @Test func partsMapToTheirFamilies() {
        #expect(DeviceFamilies.candidates(forPart: "xcvu9p-flgb2104-2-i") == ["virtexuplus", "virtexuplusHBM", "virtexuplus58g"])
        #expect(DeviceFamilies.candidates(forPart: "xcvu095-ffva2104-2-e") == ["virtexu"])
        #expect(DeviceFamilies.candidates(forPart: "xc7a35tcpg236-1") == ["artix7", "artix7l"])
        #expect(DeviceFamilies.candidates(forPart: "xyz123").isEmpty)
        #expect(DeviceFamilies.candidates(forPart: "xczu9eg").allSatisfy(DeviceFamilies.isKnown))
    }

    @Test func aFamilyListMustHoldThePartsFamily() {
        #expect(DeviceFamilies.partProblem(part: "xcvu9p-flgb2104-2-i", families: ["virtexuplus"]) == nil)
        #expect(DeviceFamilies.partProblem(part: "xcvu9p-flgb2104-2-i", families: ["artix7"])?.contains("virtexuplus") == true)
        #expect(DeviceFamilies.unknownProblem("virtex9", suggestion: "virtex7")?.contains("did you mean \"virtex7\"") == true)
    }

    /// `lutbuild estimate --yosys` synthesises for the project's part.
    @Test(arguments: [
        ("xcvu9p-flgb2104-2-i", "xcup"), ("xczu3eg-sbva484-1-e", "xcup"), ("xcku040-ffva1156-2-e", "xcu"),
        ("xc7a35tcpg236-1", "xc7"), ("xc7z020clg400-1", "xc7"), ("xa7a12t", "xc7"), ("xcvc1902-vsva2197-2mp-e-s", "xcup"),
        ("xyz", "xcup"),
    ]) func yosysFamilies(_ part: String, _ family: String) {
        #expect(DeviceFamilies.yosysFamily(forPart: part) == family)
    }
}
