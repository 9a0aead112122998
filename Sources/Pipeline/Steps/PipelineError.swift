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

    /// A mistake in the user's input (a command-line value, the project file).
    public static func input(_ description: String) -> PipelineError {
        PipelineError(description, exitCode: UserError.inputExitCode)
    }
}

extension PipelineError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description, exitCode: exitCode)] }
}
