import Foundation

/// A project directory with its parsed, checked `lutbuild.toml`.
public struct Project: Sendable {
    /// The project directory.
    public let directory: URL
    /// How messages name the directory: the path as the user typed it.
    public let displayDirectory: String
    public let config: ProjectConfig
    /// The project file's text, kept to find lines for later diagnostics.
    let text: String

    /// Opens the project in `path` (as the user typed it, e.g. "." or "demo").
    /// Throws `ProjectError` with every problem of the project file.
    public static func open(path: String) throws -> Project {
        let directory = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        let display = path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
        let file = directory.appendingPathComponent(ProjectConfig.fileName)
        let fileName = display + ProjectConfig.fileName
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: file.path)
            let message = exists
                ? "cannot read the file as UTF-8 text"
                : "no such file; expected a project directory (create one with `lutbuild init`)"
            throw ProjectError(diagnostics: [ProjectDiagnostic(file: fileName, line: nil, key: "", message: message)])
        }
        let config = try ProjectConfig.parse(text: text, path: fileName, projectDirectory: directory)
        return Project(directory: directory, displayDirectory: display, config: config, text: text)
    }

    /// How messages name the project file.
    public var configFileName: String { displayDirectory + ProjectConfig.fileName }

    /// `lutbuild.lock`, committed next to the project file.
    public var lockFile: URL { directory.appendingPathComponent("lutbuild.lock") }

    /// A data path from the project file, resolved against the project directory.
    public func dataURL(_ file: String) -> URL { ProjectConfigRules.resolve(file, in: directory) }

    /// How messages name a data file from the project file.
    public func dataDisplayName(_ file: String) -> String { file.hasPrefix("/") ? file : displayDirectory + file }

    /// Checks the settings that depend on the data (fan-in of the first
    /// layer, partitions of the last layer); throws `ProjectError`.
    public func check(features: Int, classes: Int) throws {
        var reader = TOMLReader(file: configFileName, text: text)
        ProjectConfigRules.checkAgainstData(config, features: features, classes: classes, dataName: config.dataset.train, with: &reader)
        if !reader.diagnostics.isEmpty { throw ProjectError(diagnostics: reader.diagnostics.sortedByLine()) }
    }
}
