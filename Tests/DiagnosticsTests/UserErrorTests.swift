import Testing
@testable import Diagnostics

/// What the user sees of an error, and the run's exit code.
@Suite struct UserErrorTests {
    struct TwoProblems: UserFacingError {
        var userErrors: [UserError]
    }

    struct Plain: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    @Test func anErrorReadsErrorLocationMessage() {
        #expect(
            UserError.input("fan_in: expected 1…6", location: "lutbuild.toml:12").description
                == "error: lutbuild.toml:12: fan_in: expected 1…6")
        #expect(UserError("no simulator").description == "error: no simulator")
    }

    @Test func exitCodes() {
        #expect(UserError.lines(for: CancellationError()).exitCode == UserError.interruptedExitCode)
        #expect(UserError.lines(for: Plain()) == (["error: disk full"], UserError.failureExitCode))
        let input = TwoProblems(userErrors: [.input("a"), .input("b", location: "x.csv:3")])
        #expect(UserError.lines(for: input) == (["error: a", "error: x.csv:3: b"], UserError.inputExitCode))
        // An input mistake only when every line is one; otherwise the first other code.
        let mixed = TwoProblems(userErrors: [.input("a"), UserError("--jobs 0", exitCode: UserError.usageExitCode)])
        #expect(UserError.lines(for: mixed).exitCode == UserError.usageExitCode)
    }
}
