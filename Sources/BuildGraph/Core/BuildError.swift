import Diagnostics

/// Why a build could not proceed; each message names the step, file or key.
public enum BuildError: Error, CustomStringConvertible, Equatable {
    case invalidGraph(String)
    case missingSource(path: String, step: String, input: String)
    case missingOutput(step: String, output: String)
    case corruptObject(Digest, path: String)
    case missingObject(Digest, path: String)
    case stepFailed(step: String, message: String)
    case storeKeepsCorrupting(directory: String)
    case unknownInput(step: String, input: String)
    case corruptFile(path: String, line: Int, expected: String)
    case busy(pid: String)

    public var description: String {
        switch self {
        case .invalidGraph(let message): "invalid build graph: \(message)"
        case .missingSource(let path, let step, let input):
            "source file '\(path)' (input '\(input)' of step '\(step)') does not exist"
        case .missingOutput(let step, let output): "step '\(step)' did not produce its output '\(output)'"
        case .corruptObject(let digest, let path):
            "store object \(digest.short)… at \(path) is corrupt (its content does not match its digest); it was deleted and"
                + " will be rebuilt"
        case .missingObject(let digest, let path):
            "store object \(digest.short)… at \(path) is missing; its producer will be rebuilt"
        case .stepFailed(let step, let message): "step '\(step)' failed: \(message)"
        case .storeKeepsCorrupting(let directory):
            "store objects keep coming out corrupt; check the disk under \(directory)"
        case .unknownInput(let step, let input): "step '\(step)' asked for the undeclared input '\(input)'"
        case .corruptFile(let path, let line, let expected): "\(path):\(line): expected \(expected)"
        case .busy(let pid): "another lutbuild build is running (pid \(pid))"
        }
    }
}

/// Steps failed; each failure keeps the step's own error, so a front end can
/// tell a user's mistake (bad data) from a fault.
public struct BuildFailure: Error, CustomStringConvertible {
    public struct Failure: Sendable {
        public var step: String
        public var error: any Error

        public init(step: String, error: any Error) {
            self.step = step
            self.error = error
        }
    }

    public var failures: [Failure]

    public init(failures: [Failure]) { self.failures = failures }

    /// One line per failure: `step 'x' failed: why`.
    public var description: String {
        failures.map { failure in
            if let error = failure.error as? BuildError { return "\(error)" }
            return "step '\(failure.step)' failed: \(failure.error)"
        }.joined(separator: "\n")
    }
}

extension BuildFailure: UserFacingError {
    /// Each failed step: a user's mistake as the mistake, anything else naming the step.
    public var userErrors: [UserError] {
        failures.flatMap { failure -> [UserError] in
            if failure.error is any UserFacingError { return UserError.userErrors(of: failure.error) }
            if let error = failure.error as? BuildError { return [UserError("\(error)")] }
            return [UserError("step '\(failure.step)' failed: \(failure.error)")]
        }
    }
}

extension BuildError: UserFacingError {
    /// `busy`: another build holds the project.
    public var userErrors: [UserError] {
        if case .busy = self { return [UserError("\(self); run again without --no-wait to wait for it")] }
        return [UserError("\(self)")]
    }
}
