import BuildGraph
import Foundation
import TOMLKit
import ProjectFile

/// One key's value at one sweep point, as typed (`model.fan_in`, `4`).
public struct SweepSetting: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
}

/// The points of `lutbuild sweep`: every combination of the `--set` values
/// (the first axis varies slowest), each a variant of the project checked by
/// the project file's own rules before anything runs.
public struct SweepPlan: Sendable {
    public struct Point: Sendable {
        public var settings: [SweepSetting]
        /// Directory-safe and stable: `model.fan_in=4,train.epochs=10`.
        public var name: String
        /// The project with the settings applied (same directory and cache).
        public var project: Project
        /// Digest of the variant's whole configuration: a finished point with
        /// the same digest is never built again.
        public var configDigest: String
    }

    public var axes: [SweepAxis]
    public var points: [Point]

    /// Parses `arguments` (`KEY=V1,V2,…` each) and checks every point.
    /// Throws `ProjectError` with every problem: a malformed argument or a
    /// value the project file would reject is reported against its `--set`
    /// argument, any other problem against the project file's line, with the
    /// point it arises at.
    public static func make(_ project: Project, arguments: [String]) throws -> SweepPlan {
        var diagnostics: [ProjectDiagnostic] = []
        var axes: [SweepAxis] = []
        if arguments.isEmpty {
            diagnostics.append(ProjectDiagnostic(file: "--set", line: nil, key: "",
                                                 message: "expected at least one --set KEY=V1,V2,…, e.g. --set model.fan_in=4,6"))
        }
        for argument in arguments {
            switch SweepAxis.parse(argument) {
            case .success(let axis):
                if let earlier = axes.first(where: { $0.path == axis.path }) {
                    diagnostics.append(ProjectDiagnostic(file: "--set \(argument)", line: nil, key: axis.key,
                                                         message: "the key is already swept by --set \(earlier.argument); give all its values there"))
                } else {
                    axes.append(axis)
                }
            case .failure(let error):
                diagnostics += error.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw ProjectError(diagnostics: diagnostics) }

        var points: [Point] = []
        var names = Set<String>()
        var seen = Set<ProjectDiagnostic>()
        for combination in product(axes.map { $0.values.count }) {
            let settings = zip(axes, combination).map { SweepSetting(key: $0.key, value: $0.values[$1]) }
            switch variant(of: project, axes: axes, settings: settings) {
            case .success(let variant):
                var name = pointName(settings)
                if !names.insert(name).inserted {
                    name += "-\(points.count + 1)"
                    names.insert(name)
                }
                points.append(Point(settings: settings, name: name, project: variant, configDigest: try digest(variant.config)))
            case .failure(let error):
                for diagnostic in error.diagnostics where seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
            }
        }
        guard diagnostics.isEmpty else { throw ProjectError(diagnostics: diagnostics) }
        return SweepPlan(axes: axes, points: points)
    }

    /// The project with `settings` applied to its parsed file, checked.
    private static func variant(of project: Project, axes: [SweepAxis], settings: [SweepSetting]) -> Result<Project, ProjectError> {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: project.text)
        } catch {
            return .failure(ProjectError(diagnostics: [ProjectDiagnostic(file: project.configFileName, line: nil, key: "",
                                                                         message: "cannot be parsed again: \(error)")]))
        }
        var problems: [ProjectDiagnostic] = []
        for (axis, setting) in zip(axes, settings) {
            if let message = root.setting(SweepAxis.tomlValue(setting.value), at: axis.path) {
                problems.append(ProjectDiagnostic(file: "--set \(axis.argument)", line: nil, key: axis.key, message: message))
            }
        }
        do {
            let config = try ProjectConfig.read(root, text: project.text, path: project.configFileName,
                                                projectDirectory: project.directory)
            if !problems.isEmpty { return .failure(ProjectError(diagnostics: problems)) }
            return .success(Project(directory: project.directory, displayDirectory: project.displayDirectory,
                                    config: config, text: project.text))
        } catch let error as ProjectError {
            let point = settings.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return .failure(ProjectError(diagnostics: problems + error.diagnostics.map { diagnostic in
                var diagnostic = diagnostic
                if let path = ConfigKeyPath(parsing: diagnostic.key),
                   let axis = axes.first(where: { path.isWithin($0.path) }) {
                    // The swept value itself is wrong: point at the argument that set it.
                    diagnostic.file = "--set \(axis.argument)"
                    diagnostic.line = nil
                } else {
                    diagnostic.message += " (at the sweep point \(point))"
                }
                return diagnostic
            }))
        } catch {
            return .failure(ProjectError(diagnostics: [ProjectDiagnostic(file: project.configFileName, line: nil, key: "",
                                                                         message: "\(error)")]))
        }
    }

    /// Every index combination of axes with these sizes, the first slowest.
    static func product(_ sizes: [Int]) -> [[Int]] {
        sizes.reduce([[]]) { combinations, size in
            combinations.flatMap { prefix in (0..<size).map { prefix + [$0] } }
        }
    }

    /// `key=value` pairs joined by commas, with characters unsafe in a file name replaced by `_`.
    static func pointName(_ settings: [SweepSetting]) -> String {
        let text = settings.map { "\($0.key)=\(SweepPointResult.Value(toml: $0.value))" }.joined(separator: ",")
        return String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._=,+-".contains($0)) ? $0 : "_" })
    }

    static func digest(_ config: ProjectConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Digest.of(try encoder.encode(config)).hex
    }
}
