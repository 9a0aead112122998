import Foundation
import Synchronization
import ProjectFile

/// The inputs a rebuild depends on: lutbuild.toml and the dataset files it
/// names. While the project file does not parse, the last good set is kept
/// (the watch loop asks again after every build). Data outside the project
/// folder is listed but not watched (the watch scope is the project folder).
public final class WatchInputs: Sendable {
    private let root: URL
    private let lastGood: Mutex<Set<String>>

    public init(project root: URL) {
        self.root = root
        lastGood = Mutex([root.appendingPathComponent(ProjectConfig.fileName).path])
    }

    /// Absolute paths of the inputs, as the watch loop compares them.
    public func paths() -> Set<String> {
        let projectFile = root.appendingPathComponent(ProjectConfig.fileName)
        // Parsed without the project folder, so a data file that does not exist yet is still watched.
        guard let text = try? String(contentsOf: projectFile, encoding: .utf8),
            let config = try? ProjectConfig.parse(text: text, path: ProjectConfig.fileName)
        else {
            return lastGood.withLock { $0 }
        }
        let dataset = config.dataset
        let files = [dataset.train, dataset.trainLabels, dataset.test, dataset.testLabels].compactMap { $0 }
        let data = files.map { file in
            (file.hasPrefix("/") ? URL(fileURLWithPath: file) : root.appendingPathComponent(file)).standardizedFileURL.path
        }
        let paths = Set([projectFile.path] + data)
        lastGood.withLock { $0 = paths }
        return paths
    }
}
