import Diagnostics
import Datasets
import Foundation

extension DatasetSection {
    /// Every data file the section names, by role (`train`, `train_labels`,
    /// `test`, `test_labels`), in that order.
    package var files: [(role: String, path: String)] {
        [("train", train), ("train_labels", trainLabels), ("test", test), ("test_labels", testLabels)]
            .compactMap { role, path in path.map { (role, $0) } }
    }
}

/// The data does not fit the model (data preparation's `DataFitRule` throws
/// it); `Project.userFacing` turns it into the project file's diagnostics.
package struct DataDoesNotFitModel: Error, Sendable {
    package var features: Int
    package var classes: Int

    package init(features: Int, classes: Int) {
        self.features = features
        self.classes = classes
    }
}

/// A project directory with its parsed, checked `lutbuild.toml`.
public struct Project: Sendable {
    /// The project directory.
    public let directory: URL
    /// How messages name the directory: the path as the user typed it.
    public let displayDirectory: String
    public let config: ProjectConfig
    /// The project file's text, kept to find lines for later diagnostics.
    package let text: String

    package init(directory: URL, displayDirectory: String, config: ProjectConfig, text: String) {
        self.directory = directory
        self.displayDirectory = displayDirectory
        self.config = config
        self.text = text
    }

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
            let message =
                exists
                ? "cannot read the file as UTF-8 text"
                : "no such file; expected a project directory (create one with `lutbuild init`)"
            throw ProjectError(diagnostics: [ProjectDiagnostic(file: fileName, line: nil, key: "", message: message)])
        }
        let config = try ProjectConfig.parse(text: text, path: fileName, projectDirectory: directory)
        return Project(directory: directory, displayDirectory: display, config: config, text: text)
    }

    /// How messages name the project file.
    public var configFileName: String { displayDirectory + ProjectConfig.fileName }

    /// `file` relative to `directory` (`../shared/x.csv` for a file outside
    /// it), so the lock file and step keys are the same on every machine.
    static func projectRelative(_ file: String, in directory: URL) -> String {
        guard file.hasPrefix("/") else { return file }
        let target = URL(fileURLWithPath: file).standardizedFileURL.pathComponents
        let base = directory.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }

    /// A data path from the project file, resolved against the project directory.
    public func dataURL(_ file: String) -> URL { ProjectConfigRules.resolve(file, in: directory) }

    /// How messages name a data file from the project file.
    public func dataDisplayName(_ file: String) -> String { file.hasPrefix("/") ? file : displayDirectory + file }

    /// The dataset section with data paths relative to the project directory
    /// (`../shared/x.csv` for a file outside it), so step keys and the lock
    /// file are the same on every machine.
    package var locatedDataset: DatasetSection {
        var located = config.dataset
        located.train = Project.projectRelative(located.train, in: directory)
        located.trainLabels = located.trainLabels.map { Project.projectRelative($0, in: directory) }
        located.test = located.test.map { Project.projectRelative($0, in: directory) }
        located.testLabels = located.testLabels.map { Project.projectRelative($0, in: directory) }
        return located
    }

    /// An error from a step or from data preparation (a step's failure is
    /// unwrapped by the build, `BuildPipeline`) as the user should see
    /// it: data files named as the project file names them (from where the
    /// user ran lutbuild), and data that does not fit the model as the
    /// project file's diagnostics with keys and lines. Other errors pass unchanged.
    public func userFacing(_ error: any Error) -> any Error {
        switch error {
        case let error as DatasetError:
            return located(error)
        case let errors as DatasetErrors:
            return DatasetErrors(errors.problems.map(located))
        case let mismatch as DataDoesNotFitModel:
            var reader = TOMLReader(file: configFileName, text: text)
            ProjectConfigRules.checkAgainstData(
                config, features: mismatch.features, classes: mismatch.classes,
                dataName: config.dataset.train, with: &reader)
            return ProjectError(diagnostics: reader.diagnostics.sortedByLine())
        default:
            return error
        }
    }

    /// `error` with its file named as the project file names it.
    private func located(_ error: DatasetError) -> DatasetError {
        let located = locatedDataset.files
        guard
            let written = config.dataset.files.first(where: { role, path in
                path == error.file || located.contains { $0.role == role && $0.path == error.file }
            })
        else { return error }
        var error = error
        error.file = dataDisplayName(written.path)
        return error
    }
}

/// Data that does not fit the model (exit 2; `Project.userFacing` names the keys).
extension DataDoesNotFitModel: UserFacingError {
    package var userErrors: [UserError] {
        [UserError.input("the data has \(features) features and \(classes) classes, which the model does not fit")]
    }
}
