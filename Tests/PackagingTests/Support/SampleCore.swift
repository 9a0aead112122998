import Foundation
import Testing
@testable import Packaging

/// A small but complete core, shaped like lutbuild's generated top module.
func sampleCore(
    name: String = "digits_lut",
    rtlFiles: [String] = ["gen/rtl/digits_lut_layer0.v", "gen/rtl/digits_lut_layer1.v", "gen/rtl/digits_lut.v"],
    simulationFiles: [String] = ["gen/tb/digits_lut_tb.v"],
    documentationFiles: [String] = ["gen/rtl/digits_lut_input_thresholds.json", "gen/rtl/digits_lut_output_codes.json"]
) -> IPCoreDescription {
    IPCoreDescription(
        vendor: "example.org", library: "lutnn", name: name, version: "1.0",
        topModule: "digits_lut",
        description: #"NeuraLUT digits classifier: 64 [2-bit] inputs -> 10 classes, "quoted" & {braced} $text"#,
        ports: [
            HDLPort(name: "clk", direction: .input),
            HDLPort(name: "rst", direction: .input),
            HDLPort(name: "in_valid", direction: .input),
            HDLPort(name: "in_data", direction: .input, width: 128),
            HDLPort(name: "out_valid", direction: .output),
            HDLPort(name: "out_data", direction: .output, width: 20),
            HDLPort(name: "out_class", direction: .output, width: 4),
        ],
        rtlFiles: rtlFiles,
        simulationFiles: simulationFiles,
        simulationTop: simulationFiles.isEmpty ? nil : "digits_lut_tb",
        simulationDataFiles: simulationFiles.isEmpty ? [] : ["gen/tb/inputs.hex", "gen/tb/outputs.hex"],
        documentationFiles: documentationFiles,
        clockMHz: 500
    )
}

/// Stand-in bytes for every source, vector and documentation file of `core`.
func sampleRTL(for core: IPCoreDescription) -> [String: Data] {
    var contents = Dictionary(
        uniqueKeysWithValues: (core.rtlFiles + core.simulationFiles).map { path in
            (path, Data("// \(path)\nmodule \(fileName(path).dropLast(2)); endmodule\n".utf8))
        })
    for path in core.simulationDataFiles + core.documentationFiles {
        contents[path] = Data("stand-in for \(path)\n".utf8)
    }
    return contents
}

/// A fresh temporary directory holding `files` written at their relative paths
/// (plus the RTL sources themselves, as the build engine would have them).
func writeProject(_ files: [PackagedFile], rtl: [String: Data]) throws -> URL {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("lutbuild-packaging-\(UUID().uuidString)", isDirectory: true)
    let all = files + rtl.map { PackagedFile(path: $0.key, contents: $0.value) }
    for file in all {
        let url = root.appendingPathComponent(file.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try file.contents.write(to: url)
    }
    return root
}

func text(_ file: PackagedFile) -> String { String(decoding: file.contents, as: UTF8.self) }

func file(_ path: String, in files: [PackagedFile]) throws -> PackagedFile {
    try #require(files.first { $0.path == path }, "no generated file at \(path); have \(files.map(\.path))")
}
