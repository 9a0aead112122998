/// What the user sees of an error: where it is (`file:line` when known),
/// what is wrong and how to fix it, and the exit code. Every error lutbuild
/// shows goes through `UserError.lines(for:)`, so messages read alike
/// (`error: lutbuild.toml:12: model.fan_in: …`) and exit codes mean one thing.
public struct UserError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A mistake in what the user gave (project file, data, arguments): fix it and run again.
    public static let inputExitCode: Int32 = 2
    /// The build, a tool or the disk failed.
    public static let failureExitCode: Int32 = 1
    /// Ctrl-C: finished work is kept.
    public static let interruptedExitCode: Int32 = 130
    /// A bad command-line flag or environment variable value (as ArgumentParser's usage errors).
    public static let usageExitCode: Int32 = 64

    public var message: String
    /// `file:line`, `file` or nil.
    public var location: String?
    public var exitCode: Int32

    public init(_ message: String, location: String? = nil, exitCode: Int32 = UserError.failureExitCode) {
        self.message = message
        self.location = location
        self.exitCode = exitCode
    }

    /// A mistake in the user's input (exit code 2).
    public static func input(_ message: String, location: String? = nil) -> UserError {
        UserError(message, location: location, exitCode: inputExitCode)
    }

    /// `error: location: message`.
    public var description: String { "error: " + (location.map { "\($0): " } ?? "") + message }

    /// How `error` is shown: its lines (each a `UserError`) and the exit code
    /// of the run (an input mistake only when every line is one).
    public static func lines(for error: any Error) -> (lines: [String], exitCode: Int32) {
        if error is CancellationError {
            return (["interrupted: finished steps are kept; the next build resumes (training from its checkpoint)"], interruptedExitCode)
        }
        let errors = userErrors(of: error)
        let exitCode =
            errors.allSatisfy { $0.exitCode == inputExitCode }
            ? inputExitCode
            : errors.first { $0.exitCode != inputExitCode }?.exitCode ?? failureExitCode
        return (errors.map(\.description), exitCode)
    }

    /// `error` as one or more user errors.
    public static func userErrors(of error: any Error) -> [UserError] {
        if let error = error as? any UserFacingError { return error.userErrors }
        return [UserError("\(error)")]
    }
}

/// An error that says how the user should see it. Each error type adopts it
/// where it is declared (this module is below every other), so the front end
/// needs no list of error types.
public protocol UserFacingError: Error {
    var userErrors: [UserError] { get }
}

extension UserError: UserFacingError {
    public var userErrors: [UserError] { [self] }
}
