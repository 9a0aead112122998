import Diagnostics

/// One problem in a project file: where it is and what was expected.
public struct ProjectDiagnostic: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The project file as the user named it.
    public var file: String
    /// 1-based line, when it could be found.
    public var line: Int?
    /// Dotted key path such as `model.layers[1].fan_in`; empty for whole-file problems.
    public var key: String
    public var message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// Hashes the place only (equal diagnostics share it): the messages are
    /// long, and a file with millions of problems rehashes them all as the set that removes repeats grows.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(line)
        hasher.combine(key)
    }

    /// Whether the problem is in a command-line value (`--set KEY=VALUE`)
    /// rather than in a file: a usage mistake (exit 64), not an input one (2).
    public var isCommandLine: Bool { file.hasPrefix("--") }

    /// `lutbuild.toml:12: model.fan_in: expected an integer, found a string`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if !key.isEmpty { text += ": \(key)" }
        return text + ": " + message
    }
}

/// All problems found in a project file at once, so one run shows every fix needed.
public struct ProjectError: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [ProjectDiagnostic]

    public init(diagnostics: [ProjectDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line, at most a screenful (`ScreenfulRule`), then how many more there are.
    public var description: String {
        let lines = diagnostics.prefix(ScreenfulRule.limit).map(\.description)
        return (lines + [ScreenfulRule.moreLine(unshown: diagnostics.count - lines.count)].compactMap { $0 })
            .joined(separator: "\n")
    }
}

extension ProjectError: UserFacingError {
    /// At most a screenful (`ScreenfulRule`), then how many more there are.
    public var userErrors: [UserError] {
        let shown = diagnostics.prefix(ScreenfulRule.limit).map { diagnostic in
            UserError(
                diagnostic.key.isEmpty ? diagnostic.message : "\(diagnostic.key): \(diagnostic.message)",
                location: diagnostic.file + (diagnostic.line.map { ":\($0)" } ?? ""),
                exitCode: diagnostic.isCommandLine ? UserError.usageExitCode : UserError.inputExitCode)
        }
        return shown + [ScreenfulRule.moreLine(unshown: diagnostics.count - shown.count)].compactMap { $0.map { .input($0) } }
    }
}
