import Diagnostics
import Foundation

/// The starter project `lutbuild init` writes: project-template/ compiled
/// into the binary (see scripts/embed-template.sh), so it works wherever the
/// executable is installed.
public enum ProjectTemplate {
    /// Template files, sorted by path (relative to the project directory).
    public static var files: [(path: String, contents: Data)] {
        embedded.map { ($0.path, Data(base64Encoded: $0.base64)!) }
    }

    /// Refusal to overwrite: the template files that already exist in the target.
    public struct Conflict: Error, Sendable, Equatable, CustomStringConvertible {
        public var directory: String
        public var existing: [String]

        public var description: String {
            "refusing to overwrite existing files in \(directory):\n"
                + existing.map { "  \($0)" }.joined(separator: "\n")
                + "\nnothing was written; choose an empty directory or move these files away"
        }
    }

    /// The target cannot be written (it is a file, or permissions).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Writes the template into `directory` (created if needed) and returns the
    /// written paths. Writes nothing and throws `Conflict` if any file exists;
    /// throws `Failure` when the directory cannot be created or written.
    @discardableResult
    public static func install(into directory: URL, displayName: String) throws -> [String] {
        try write(files, into: directory, displayName: displayName)
    }

    /// Writes `files` (paths relative to `directory`) all or nothing: throws
    /// `Conflict` before writing if any exists, `Failure` when one cannot be
    /// written, after removing the files and folders this call had made.
    @discardableResult
    package static func write(_ files: [(path: String, contents: Data)], into directory: URL, displayName: String) throws -> [String] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Failure(description: "\(displayName) exists and is not a directory; expected a directory to create the project in")
        }
        let existing = files.map(\.path).filter {
            fileManager.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        guard existing.isEmpty else { throw Conflict(directory: displayName, existing: existing.sorted()) }
        var made: [URL] = []  // files and folders this call created, in order
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            do {
                try createDirectories(url.deletingLastPathComponent(), recordingIn: &made)
                try file.contents.write(to: url, options: .withoutOverwriting)
                made.append(url)
            } catch {
                for created in made.reversed() { try? fileManager.removeItem(at: created) }
                throw Failure(
                    description: "cannot write \(displayName)/\(file.path): \((error as NSError).localizedDescription); nothing was written"
                )
            }
        }
        return files.map(\.path)
    }

    /// Creates `folder` and any missing parents, appending each to `made` (outermost first).
    private static func createDirectories(_ folder: URL, recordingIn made: inout [URL]) throws {
        var missing: [URL] = []
        var current = folder.standardizedFileURL
        while !FileManager.default.fileExists(atPath: current.path), current.path != "/" {
            missing.insert(current, at: 0)
            current = current.deletingLastPathComponent()
        }
        for folder in missing {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            made.append(folder)
        }
    }
}

extension ProjectTemplate.Conflict: UserFacingError {
    public var userErrors: [UserError] { [.input(description)] }
}

extension ProjectTemplate.Failure: UserFacingError {
    public var userErrors: [UserError] { [.input(description)] }
}
