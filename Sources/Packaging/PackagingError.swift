import Diagnostics
/// Why a core description cannot be packaged; the message names the field and
/// what was expected, so it can be shown to the user as is.
public struct PackagingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A packaging failure: the build fails (exit 1).
extension PackagingError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
