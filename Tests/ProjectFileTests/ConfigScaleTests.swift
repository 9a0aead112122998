import Testing
import Diagnostics
@testable import ProjectFile

/// Project files with thousands of problems are diagnosed in linear time
/// (the time limit only catches a return of the old quadratic key search,
/// which took minutes here; figures are in `bench/run reliability.config.*`).
@Suite(.timeLimit(.minutes(1))) struct ConfigScaleTests {
    /// `[model]` followed by `count` unknown keys, one per line.
    static func unknownKeys(_ count: Int) -> String {
        ConfigDiagnosticsTests.base + "\n[rtl]\n" + (0..<count).map { "unknown_key_\($0) = \($0)" }.joined(separator: "\n")
    }

    @Test func tenThousandUnknownKeysAreEachLocated() throws {
        let baseLines = ConfigDiagnosticsTests.base.split(separator: "\n", omittingEmptySubsequences: false).count
        let error = try #require(throws: ProjectError.self) {
            try ProjectConfig.parse(text: Self.unknownKeys(10_000), path: "lutbuild.toml")
        }
        #expect(error.diagnostics.count == 10_000)
        #expect(error.diagnostics.first?.line == baseLines + 2)
        #expect(error.diagnostics.last?.line == baseLines + 10_001)
        #expect(error.diagnostics.last?.key == "rtl.unknown_key_9999")
    }

    @Test func longRunOfBlanksBeforeOneError() throws {
        let text = ConfigDiagnosticsTests.base.replacingOccurrences(
            of: "epochs = 5", with: String(repeating: " ", count: 200_000) + "epochs = \"5\"")
        let error = try #require(throws: ProjectError.self) {
            try ProjectConfig.parse(text: text, path: "lutbuild.toml")
        }
        #expect(
            error.diagnostics.map(\.description) == [
                "lutbuild.toml:12: train.epochs: expected an integer in 1…1000000, found a string"
            ])
    }

    @Test func keysInsideOneLongInlineArrayAreLocated() throws {
        let layers = (0..<3_000).map { "  { partitions = 3, typo_\($0) = 1 }," }.joined(separator: "\n")
        let text = ConfigDiagnosticsTests.edit(
            "layers = [{ partitions = 8 }, { partitions = 3 }]", "layers = [\n\(layers)\n]")
        let error = try #require(throws: ProjectError.self) {
            try ProjectConfig.parse(text: text, path: "lutbuild.toml")
        }
        let typos = error.diagnostics.filter { $0.key.contains("typo_") }
        #expect(typos.count == 3_000)
        #expect(typos.last.map { ($0.key, $0.line) } ?? ("", nil) == ("model.layers[2999].typo_2999", 3_009))
    }

    @Test func atMostAScreenfulIsPrinted() throws {
        let error = try #require(throws: ProjectError.self) {
            try ProjectConfig.parse(text: Self.unknownKeys(1_000), path: "lutbuild.toml")
        }
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == ScreenfulRule.limit + 1)
        #expect(lines.last == "… and \(1_000 - ScreenfulRule.limit) more problems (fix those above and run again to see them)")
    }
}
