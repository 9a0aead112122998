import Diagnostics

/// A pipeline step could not do its work; the message says what and how to fix it.
public struct PipelineError: Error, CustomStringConvertible, Equatable {
    public var description: String
    /// `UserError.inputExitCode` when the user's input is at fault, else `failureExitCode`.
    public var exitCode: Int32

    public init(_ description: String, exitCode: Int32 = UserError.failureExitCode) {
        self.description = description
        self.exitCode = exitCode
    }

    /// A mistake in the project file or the data (exit 2).
    public static func input(_ description: String) -> PipelineError {
        PipelineError(description, exitCode: UserError.inputExitCode)
    }

    /// A bad command-line flag or environment variable value (exit 64).
    public static func usage(_ description: String) -> PipelineError {
        PipelineError(description, exitCode: UserError.usageExitCode)
    }
}

extension PipelineError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description, exitCode: exitCode)] }
}
