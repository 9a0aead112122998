import Foundation
import TestSupport
import Testing
@testable import Pipeline
@testable import ProjectFile

/// The template compiled into the binary matches project-template/, and the
/// template project loads, splits and normalises as documented.
@Suite struct ConfigTemplateTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templateFolder = root.appendingPathComponent("project-template")

    @Test func embeddedTemplateMatchesTheFolder() throws {
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: Self.templateFolder.path)
            .filter { path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(
                    atPath: Self.templateFolder.appendingPathComponent(path).path, isDirectory: &isDirectory)
                return exists && !isDirectory.boolValue
            }.sorted()
        #expect(ProjectTemplate.files.map(\.path) == onDisk, "run scripts/embed-template.sh")
        for file in ProjectTemplate.files {
            let disk = try Data(contentsOf: Self.templateFolder.appendingPathComponent(file.path))
            #expect(file.contents == disk, "\(file.path) differs: run scripts/embed-template.sh")
        }
    }

    @Test func templatePreparesDeterministicNormalisedData() throws {
        let project = try Project.open(path: Self.templateFolder.path)
        let data = try project.prepareData()
        #expect(data.features == 64 && data.classes == 10)
        #expect((data.train.rows, data.validation.rows, data.test.rows) == (1294, 144, 359))
        // Standardisation is fitted on the training rows only: exactly centred there.
        for c in [10, 20, 36] {
            let mean = (0..<data.train.rows).reduce(0.0) { $0 + Double(data.train.features[$1 * 64 + c]) } / Double(data.train.rows)
            #expect(abs(mean) < 1e-4)
        }
        #expect(try project.prepareData() == data)
        let spec = project.config.networkSpec(inputFeatures: data.features, classes: data.classes)
        #expect(spec.layers.map(\.partitions) == [64, 32, 10])
        #expect((0..<3).map(spec.tableAddressBits(ofLayer:)) == [12, 12, 12])
    }

    @Test func missingDataFilesAreNamedRelativeToTheProject() throws {
        let folderSandbox = try Sandbox("config")
        defer { folderSandbox.remove() }
        let folder = folderSandbox.url
        let text = """
            [project]
            name = "m"
            [dataset]
            format = "idx"
            train = "data/imgs.gz"
            train_labels = "data/labels.gz"
            [model]
            layers = [{ partitions = 10 }]
            """
        #expect(
            try Self.diagnostics(of: text, in: folder) == [
                "5: dataset.train: file \"data/imgs.gz\" not found (looked for \(folder.path)/data/imgs.gz)",
                "6: dataset.train_labels: file \"data/labels.gz\" not found (looked for \(folder.path)/data/labels.gz)",
            ])
    }

    /// A FIFO or device named as data is a project-file error (exit 2) on every
    /// build, before the engine would open it (a FIFO blocks whoever opens it).
    @Test func dataThatIsNotARegularFileIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(folder.appendingPathComponent("data/d.csv").path, 0o600) == 0)
        let text = """
            [project]
            name = "m"
            [dataset]
            train = "data/d.csv"
            test = "/dev/zero"
            [model]
            layers = [{ partitions = 10 }]
            """
        #expect(
            try Self.diagnostics(of: text, in: folder) == [
                "4: dataset.train: \"data/d.csv\" is a FIFO (named pipe); expected a regular data file",
                "5: dataset.test: \"/dev/zero\" is a device; expected a regular data file",
            ])
    }

    /// The `line: key: message` lines of the project-file error `text` gives in
    /// `folder`, or nil when it loads.
    private static func diagnostics(of text: String, in folder: URL) throws -> [String]? {
        let file = folder.appendingPathComponent("lutbuild.toml")
        try Data(text.utf8).write(to: file)
        do {
            _ = try ProjectConfig.load(contentsOf: file)
            return nil
        } catch let error as ProjectError {
            return error.diagnostics.map { "\($0.line ?? 0): \($0.key): \($0.message)" }
        }
    }
}

/// What `init --data` sizes from the row count and the folder name.
@Suite struct StarterSelectionAndNameTests {
    /// A tenth of the non-test rows selects the epoch only when that is at least 100 rows (1,244 rows in all).
    @Test func selectionRuleSwitchesAtAHundredValidationRows() {
        let small = StarterProject.Sizing(features: 4, classes: 3, rows: 1243)
        #expect(small.selection == .lastEpoch && small.validationFraction == 0 && small.validationRows == 0)
        #expect(small.trainRows == 994, "every non-test row trains")
        let large = StarterProject.Sizing(features: 4, classes: 3, rows: 1244)
        #expect(large.selection == .bestValidation && large.validationFraction == 0.1)
        #expect(large.validationRows == ModelSelection.minimumValidationRows && large.trainRows == 895)
    }

    @Test func aLongFolderNameIsCutToTheDesignNameLimit() {
        let name = StarterProject.projectName(fromDirectory: URL(fileURLWithPath: "/x/" + String(repeating: "ab-", count: 80)))
        #expect(name.count == 128 && name.hasSuffix("_lut") && !name.contains("__"), "\(name)")
        #expect(StarterProject.projectName(fromDirectory: URL(fileURLWithPath: "/x/my-design")) == "my_design_lut")
        #expect(StarterProject.projectName(fromDirectory: URL(fileURLWithPath: "/x/wine_lut")) == "wine_lut")
    }
}
