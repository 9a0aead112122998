import Foundation
import Testing
@testable import ProjectFile

/// docs/project-file.md documents every key the schema reads, and no other:
/// each section's `| key | type | default | meaning |` table (the second one
/// in `[model]` is a layer's) against `ProjectConfigSchema.allKeys`.
@Suite struct ProjectFileDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/project-file.md").standardizedFileURL

    static func documentedKeys() throws -> [String] {
        let lines = try String(contentsOf: docs, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var keys: [String] = []
        var section: String?
        var tablesInSection = 0
        var inTable = false
        for line in lines {
            if line.hasPrefix("## ") {
                section = line.firstRange(of: /`\[([a-z.]+)\]`/).map { String(line[$0].dropFirst(2).dropLast(2)) }
                tablesInSection = 0
                inTable = false
            } else if line.hasPrefix("| key | type | default | meaning |") {
                tablesInSection += 1
                inTable = true
            } else if inTable, line.hasPrefix("| `"), let section {
                let prefix = section == "model" && tablesInSection == 2 ? "model.layers[]" : section
                let cell = line.dropFirst(2).prefix { $0 != "|" }
                keys += cell.matches(of: /`([a-z_]+)`/).map { "\(prefix).\($0.output.1)" }
            } else if inTable, !line.hasPrefix("|") {
                inTable = false
            }
        }
        return keys
    }

    @Test func everyKeyIsDocumentedAndNoStaleOne() throws {
        let documented = try Self.documentedKeys()
        #expect(documented.count > 50, "the docs' key tables were not found")
        #expect(Set(documented).count == documented.count, "a key documented twice")
        #expect(ProjectConfigSchema.allKeys.subtracting(documented).sorted() == [], "keys missing from docs/project-file.md")
        #expect(
            Set(documented).subtracting(ProjectConfigSchema.allKeys).sorted() == [],
            "docs/project-file.md documents keys the schema does not read")
    }
}
