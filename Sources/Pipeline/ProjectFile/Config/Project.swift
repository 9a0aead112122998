import BuildGraph
import Datasets
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
    public var lockFile: URL { directory.appendingPathComponent(OutputLayout.lockFile) }

    /// A data path from the project file, resolved against the project directory.
    public func dataURL(_ file: String) -> URL { ProjectConfigRules.resolve(file, in: directory) }

    /// How messages name a data file from the project file.
    public func dataDisplayName(_ file: String) -> String { file.hasPrefix("/") ? file : displayDirectory + file }

    /// The dataset section with data paths relative to the project directory
    /// (`../shared/x.csv` for a file outside it), so step keys and the lock
    /// file are the same on every machine.
    var locatedDataset: DatasetSection {
        var located = config.dataset
        located.train = PrepareDataStep.projectRelative(located.train, in: directory)
        located.trainLabels = located.trainLabels.map { PrepareDataStep.projectRelative($0, in: directory) }
        located.test = located.test.map { PrepareDataStep.projectRelative($0, in: directory) }
        located.testLabels = located.testLabels.map { PrepareDataStep.projectRelative($0, in: directory) }
        return located
    }

    /// An error from a step or from data preparation as the user should see
    /// it: data files named as the project file names them (from where the
    /// user ran lutbuild), and data that does not fit the model as the
    /// project file's diagnostics with keys and lines. Other errors pass unchanged.
    public func userFacing(_ error: any Error) -> any Error {
        switch error {
        case let failure as BuildFailure:
            return BuildFailure(failures: failure.failures.map { .init(step: $0.step, error: userFacing($0.error)) })
        case let error as DatasetError:
            return located(error)
        case let errors as DatasetErrors:
            return DatasetErrors(errors.problems.map(located))
        case let mismatch as DataDoesNotFitModel:
            var reader = TOMLReader(file: configFileName, text: text)
            ProjectConfigRules.checkAgainstData(config, features: mismatch.features, classes: mismatch.classes,
                                                dataName: config.dataset.train, with: &reader)
            return ProjectError(diagnostics: reader.diagnostics.sortedByLine())
        default:
            return error
        }
    }

    /// `error` with its file named as the project file names it.
    private func located(_ error: DatasetError) -> DatasetError {
        let located = locatedDataset.files
        guard let written = config.dataset.files.first(where: { role, path in
            path == error.file || located.contains { $0.role == role && $0.path == error.file }
        }) else { return error }
        var error = error
        error.file = dataDisplayName(written.path)
        return error
    }
}
