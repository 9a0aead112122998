import Diagnostics
import BuildGraph
import DeterministicJSON
import Foundation
import TOMLKit
import ProjectFile

/// One key's value at one sweep point, as typed (`model.fan_in`, `4`).
public struct SweepSetting: Sendable, Equatable, Hashable, Codable {
    public var key: String
    public var value: String
}

/// The points of `lutbuild sweep`: every combination of the `--set` values
/// (the first axis varies slowest), each a variant of the project checked by
/// the project file's own rules before anything runs.
public struct SweepPlan: Sendable {
    public struct Point: Sendable {
        public var settings: [SweepSetting]
        /// Directory-safe and stable: `model.fan_in=4,train.epochs=10`, or a
        /// digest of that when too long for a file name (see `pointName`).
        public var name: String
        /// The project with the settings applied (same directory and cache).
        public var project: Project
        /// Digest of the variant's whole configuration: a finished point with
        /// the same digest is never built again.
        public var configDigest: String
    }

    /// The grid is larger than the caller allows; found from the axis sizes
    /// before any point is checked, so a huge grid fails at once.
    public struct TooManyPoints: Error, Equatable, CustomStringConvertible {
        /// The number of points, nil when it does not fit in an `Int`.
        public var count: Int?
        public var limit: Int
        public var description: String {
            "the sweep has \(count.map(String.init) ?? "too many") points, more than --max-points \(limit); "
                + "sweep fewer values or raise --max-points"
        }
    }

    /// The default of `--max-points`: each point is a build, so a grid larger
    /// than this is more likely a typo than a plan.
    public static let defaultMaxPoints = 1000

    public var axes: [SweepAxis]
    public var points: [Point]

    /// Parses `arguments` (`KEY=V1,V2,…` each) and checks every point.
    /// Throws `ProjectError` with every problem: a malformed argument or a
    /// value the project file would reject is reported against its `--set`
    /// argument, any other problem against the project file's line, with the
    /// point it arises at. Throws `TooManyPoints` above `maxPoints`, and
    /// `CancellationError` as soon as `isCancelled` (checking points takes a
    /// while: `progress` hears each checked point and the total).
    public static func make(
        _ project: Project, arguments: [String], maxPoints: Int = defaultMaxPoints,
        isCancelled: () -> Bool = { false },
        progress: (_ checked: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> SweepPlan {
        var diagnostics: [ProjectDiagnostic] = []
        var axes: [SweepAxis] = []
        if arguments.isEmpty {
            diagnostics.append(
                ProjectDiagnostic(
                    file: "--set", line: nil, key: "",
                    message: "expected at least one --set KEY=V1,V2,…, e.g. --set model.fan_in=4,6"))
        }
        for argument in arguments {
            switch SweepAxis.parse(argument) {
            case .success(let axis):
                if let earlier = axes.first(where: { $0.path == axis.path }) {
                    diagnostics.append(
                        ProjectDiagnostic(
                            file: "--set \(argument)", line: nil, key: axis.key,
                            message: "the key is already swept by --set \(earlier.argument); give all its values there"))
                } else {
                    axes.append(axis)
                }
            case .failure(let error):
                diagnostics += error.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw ProjectError(diagnostics: diagnostics) }
        let total = try count(axes.map { $0.values.count }, limit: maxPoints)

        var points: [Point] = []
        var names = Set<String>()
        var seen = Set<ProjectDiagnostic>()
        for (index, combination) in product(axes.map { $0.values.count }).enumerated() {
            if isCancelled() { throw CancellationError() }
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
            progress(index + 1, total)
        }
        guard diagnostics.isEmpty else { throw ProjectError(diagnostics: diagnostics) }
        return SweepPlan(axes: axes, points: points)
    }

    /// The project with each `KEY=VALUE` of `lutbuild build --set` applied:
    /// one point, parsed and checked as `lutbuild sweep --set` is (a problem
    /// names its `--set` argument), so a sweep worker's build and
    /// the sweep's own point are the same variant. No arguments: the project.
    public static func variant(of project: Project, setting arguments: [String]) throws -> Project {
        guard !arguments.isEmpty else { return project }
        var diagnostics: [ProjectDiagnostic] = []
        for argument in arguments {
            if case .success(let axis) = SweepAxis.parse(argument), axis.values.count > 1 {
                diagnostics.append(
                    ProjectDiagnostic(
                        file: "--set \(argument)", line: nil, key: axis.key,
                        message: "a build takes one value per key; build several with lutbuild sweep --set \(argument)"))
            }
        }
        guard diagnostics.isEmpty else { throw ProjectError(diagnostics: diagnostics) }
        return try make(project, arguments: arguments, maxPoints: 1).points[0].project
    }

    /// The project with `settings` applied to its parsed file, checked.
    private static func variant(of project: Project, axes: [SweepAxis], settings: [SweepSetting]) -> Result<Project, ProjectError> {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: project.text)
        } catch {
            return .failure(
                ProjectError(diagnostics: [
                    ProjectDiagnostic(
                        file: project.configFileName, line: nil, key: "",
                        message: "cannot be parsed again: \(error)")
                ]))
        }
        var problems: [ProjectDiagnostic] = []
        for (axis, setting) in zip(axes, settings) {
            if let message = root.setting(axis.tomlValue(setting.value), at: axis.path) {
                problems.append(ProjectDiagnostic(file: "--set \(axis.argument)", line: nil, key: axis.key, message: message))
            }
        }
        do {
            let config = try ProjectConfig.read(
                root, text: project.text, path: project.configFileName,
                projectDirectory: project.directory)
            if !problems.isEmpty { return .failure(ProjectError(diagnostics: problems)) }
            return .success(
                Project(
                    directory: project.directory, displayDirectory: project.displayDirectory,
                    config: config, text: project.text))
        } catch let error as ProjectError {
            let point = settings.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return .failure(
                ProjectError(
                    diagnostics: problems
                        + error.diagnostics.map { diagnostic in
                            var diagnostic = diagnostic
                            if let path = ConfigKeyPath(parsing: diagnostic.key),
                                let axis = axes.first(where: { path.isWithin($0.path) })
                            {
                                // The swept value itself is wrong: point at the argument that set it.
                                diagnostic.file = "--set \(axis.argument)"
                                diagnostic.line = nil
                            } else {
                                diagnostic.message += " (at the sweep point \(point))"
                            }
                            return diagnostic
                        }))
        } catch {
            return .failure(
                ProjectError(diagnostics: [
                    ProjectDiagnostic(
                        file: project.configFileName, line: nil, key: "",
                        message: "\(error)")
                ]))
        }
    }

    /// The number of points of axes with these sizes; throws above `limit`.
    static func count(_ sizes: [Int], limit: Int) throws -> Int {
        var count = 1
        for size in sizes {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow { throw TooManyPoints(count: nil, limit: limit) }
            count = product
        }
        if count > limit { throw TooManyPoints(count: count, limit: limit) }
        return count
    }

    /// Every index combination of axes with these sizes, the first slowest.
    static func product(_ sizes: [Int]) -> [[Int]] {
        sizes.reduce([[]]) { combinations, size in
            combinations.flatMap { prefix in (0..<size).map { prefix + [$0] } }
        }
    }

    /// Longest readable point name; longer ones are a digest, well inside the
    /// 255-byte file-name limit with room for the `-N` of a clash.
    static let maxNameLength = 120

    /// `key=value` pairs joined by commas, with characters unsafe in a file name
    /// replaced by `_`; when longer than `maxNameLength`, `point-` and a digest
    /// of it (the settings themselves are in the results files).
    static func pointName(_ settings: [SweepSetting]) -> String {
        let text = settings.map { "\($0.key)=\(SweepPointResult.Value(toml: $0.value))" }.joined(separator: ",")
        let name = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._=,+-".contains($0)) ? $0 : "_" })
        guard name.utf8.count > maxNameLength else { return name }
        return "point-" + Digest.of(Data(text.utf8)).hex.prefix(16)
    }

    static func digest(_ config: ProjectConfig) throws -> String {
        Digest.of(try DeterministicJSON.compact(config)).hex
    }
}

/// A grid beyond `--max-points` is a command-line mistake (exit 64).
extension SweepPlan.TooManyPoints: UserFacingError {
    public var userErrors: [UserError] { [UserError(description, exitCode: UserError.usageExitCode)] }
}
