import Foundation
import Testing
@testable import ProjectFile

/// docs/project-file.md documents every key the schema reads, and no other:
/// each section's `| key | type | default | meaning |` table (the second one
/// in `[model]` is a layer's) against `ProjectConfigSchema.allKeys`.
@Suite struct ProjectFileDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/project-file.md").standardizedFileURL

    /// Each documented key with its table row's type, default and meaning cells.
    static func documentedRows() throws -> [(key: String, typeCell: String, defaultCell: String, meaning: String)] {
        let lines = try String(contentsOf: docs, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var keys: [(key: String, typeCell: String, defaultCell: String, meaning: String)] = []
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
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst()
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count >= 4 else { continue }
                keys += cells[0].matches(of: /`([a-z_]+)`/).map { ("\(prefix).\($0.output.1)", cells[1], cells[2], cells[3]) }
            } else if inTable, !line.hasPrefix("|") {
                inTable = false
            }
        }
        return keys
    }

    static func documentedKeys() throws -> [String] { try documentedRows().map(\.key) }

    @Test func everyKeyIsDocumentedAndNoStaleOne() throws {
        let documented = try Self.documentedKeys()
        #expect(documented.count > 50, "the docs' key tables were not found")
        #expect(Set(documented).count == documented.count, "a key documented twice")
        #expect(ProjectConfigSchema.allKeys.subtracting(documented).sorted() == [], "keys missing from docs/project-file.md")
        #expect(
            Set(documented).subtracting(ProjectConfigSchema.allKeys).sorted() == [],
            "docs/project-file.md documents keys the schema does not read")
    }

    /// Each key's row says what the key table says: its type and range, its
    /// default, and a meaning that starts with the key's doc line (the line
    /// `init` writes as the key's comment).
    @Test func everyRowIsTheKeyTables() throws {
        let rows = try Self.documentedRows()
        for entry in ProjectKeys.all {
            guard let row = rows.first(where: { $0.key == entry.key }) else { continue }
            #expect(row.typeCell == entry.type.documented, "\(entry.key): the docs' type is \(row.typeCell)")
            #expect(row.defaultCell == entry.defaultText, "\(entry.key): the docs' default is \(row.defaultCell)")
            #expect(row.meaning.hasPrefix(entry.doc), "\(entry.key): the docs' meaning does not start with \"\(entry.doc)\"")
        }
    }

    /// A documented default that is one literal (`2`, `"standard"`, `true`)
    /// equals what the schema fills in when the key is left out: the
    /// defaults are spelled in the code and the docs, and must not drift.
    @Test func documentedDefaultsAreTheSchemas() throws {
        let text = "[project]\nname = \"demo\"\n[dataset]\ntrain = \"d.csv\"\n[model]\nlayers = [{ partitions = 8 }, { partitions = 3 }]\n"
        let config = try ProjectConfig.parse(text: text, path: "p.toml")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any])
        var compared = 0
        for row in try Self.documentedRows() {
            let (key, cell) = (row.key, row.defaultCell)
            // A literal: a number, a boolean or a quoted string (not another key's name, as `bits`).
            guard let literal = cell.wholeMatch(of: /`([^`]+)`/)?.output.1,
                literal.hasPrefix("\"") || Double(literal) != nil || literal == "true" || literal == "false"
            else { continue }
            let parts = key.split(separator: ".").map(String.init)
            guard parts.count == 2, let section = json[parts[0]] as? [String: Any] else { continue }
            let camel = parts[1].split(separator: "_").enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }
                .joined()
            guard let value = section[camel] else { continue }
            let written: String
            if literal == "true" || literal == "false", let flag = value as? Bool {
                written = flag ? "true" : "false"
            } else if let string = value as? String {
                written = "\"\(string)\""
            } else if let number = value as? NSNumber {
                written = "\(number.doubleValue)"
            } else {
                continue
            }
            compared += 1
            #expect(
                written == literal || Double(written) == Double(literal),
                "\(key): the docs say \(literal), the schema fills in \(written)")
        }
        #expect(compared >= 25, "only \(compared) defaults compared")
    }
}
