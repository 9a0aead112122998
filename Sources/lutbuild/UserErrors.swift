import ArgumentParser
import Diagnostics
import Foundation

/// The one place errors reach the user: every command throws, and this
/// prints the error's lines (`error: …`) on stderr and picks the exit code
/// (2: fix your input; 1: a build or tool failed; 130: interrupted; 64: a
/// command-line usage mistake, as ArgumentParser reports it).
enum ErrorReporter {
    static func exit(reporting error: any Error) -> Never {
        if error is any UserFacingError || error is CancellationError {
            let (lines, code) = UserError.lines(for: error)
            lines.forEach(printError)
            Foundation.exit(code)
        }
        if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
        let code = Lutbuild.exitCode(for: error)
        if code == .validationFailure {
            // Usage mistakes in the same style as every other error.
            var message = Lutbuild.fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
            printError(message)
            Foundation.exit(code.rawValue)
        }
        if code == .success || code == .failure && error is CleanExit {
            Lutbuild.exit(withError: error)  // --help, --version
        }
        printError(UserError("\(error)").description)
        Foundation.exit(UserError.failureExitCode)
    }
}

/// Writes one message to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
