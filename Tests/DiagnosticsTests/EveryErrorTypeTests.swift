import Foundation
import Testing

/// Every error type lutbuild declares says how the user sees it (adopts
/// `UserFacingError`), so its exit code is chosen where it is declared and
/// none falls back to a bare "error: …" with exit 1 by accident.
@Suite struct EveryErrorTypeTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources").standardizedFileURL

    /// `(type, file)` for each `struct|enum|class Name: Error…` outside the benchmarks.
    static func errorTypes() throws -> [(name: String, file: String, text: String)] {
        var found: [(String, String, String)] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        let declaration = try Regex(
            #"(?m)^\s*(?:public |package |private |fileprivate )?(?:final )?(?:struct|enum|class) (\w+)\s*:\s*Error\b"#)
        for file in files where file.hasSuffix(".swift") && !file.hasPrefix("Bench/") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: declaration) {
                found.append((String(text[match.output[1].range!]), file, text))
            }
        }
        return found
    }

    @Test func everyErrorTypeAdoptsTheErrorModel() throws {
        let types = try Self.errorTypes()
        #expect(types.count >= 20, "the scan found \(types.count) error types")
        let everything = try FileManager.default.enumerator(atPath: Self.sources.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: Self.sources.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
        for (name, file, _) in types {
            let adopts = try Regex(#"extension (?:\w+\.)*"# + name + #"\s*:\s*UserFacingError"#)
            let adopted = everything.contains(adopts)
            #expect(adopted, "\(name) (\(file)) does not adopt UserFacingError")
        }
    }
}
