import Foundation
import TOMLKit

extension ProjectConfig {
    /// Reads and checks a project file; relative data paths must exist next to it.
    ///
    /// Throws `ProjectError` listing every problem found (syntax, unknown keys,
    /// types, ranges, table sizes, missing files).
    public static func load(contentsOf url: URL) throws -> ProjectConfig {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            let message = exists ? "cannot read the file as UTF-8 text" : "no such file; run `lutbuild init` to create a project"
            throw ProjectError(diagnostics: [ProjectDiagnostic(file: url.path, line: nil, key: "", message: message)])
        }
        return try parse(text: text, path: url.path, projectDirectory: url.deletingLastPathComponent())
    }

    /// Parses project-file text. `path` names the file in messages; with a
    /// `projectDirectory`, the data files it names must exist relative to it.
    public static func parse(text: String, path: String, projectDirectory: URL? = nil) throws -> ProjectConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ProjectError(diagnostics: [
                ProjectDiagnostic(
                    file: path, line: error.source.begin.line, key: "", message: "TOML syntax error: \(error.description)")
            ])
        }
        return try read(root, text: text, path: path, projectDirectory: projectDirectory)
    }

    /// Reads and checks a parsed project file; `text` (the file it came from)
    /// gives the lines of diagnostics. `lutbuild sweep` edits `root` first.
    package static func read(_ root: TOMLTable, text: String, path: String, projectDirectory: URL?) throws -> ProjectConfig {
        var reader = TOMLReader(file: path, text: text)
        let config = ProjectConfigSchema.read(root, with: &reader)
        if let config {
            ProjectConfigRules.check(config, with: &reader, projectDirectory: projectDirectory)
        }
        guard reader.diagnostics.isEmpty, let config else {
            throw ProjectError(diagnostics: reader.diagnostics.sortedByLine())
        }
        return config
    }
}

extension [ProjectDiagnostic] {
    /// Stable order by line, diagnostics without a line last.
    func sortedByLine() -> [ProjectDiagnostic] {
        enumerated().sorted { a, b in
            (a.element.line ?? Int.max, a.offset) < (b.element.line ?? Int.max, b.offset)
        }.map(\.element)
    }
}
