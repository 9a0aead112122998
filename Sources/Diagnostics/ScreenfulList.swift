/// The one rule for how many problems an error shows at once: every problem
/// is found (the user fixes them all in one go), at most a screenful is
/// printed, and the rest are counted. Shared by project-file and data errors.
public enum ScreenfulRule {
    /// Problems printed before the rest are only counted (about a terminal's height).
    public static let limit = 40

    /// `… and 12 more problems (fix those above and run again to see them)`, or nil when `unshown` is 0.
    public static func moreLine(unshown: Int) -> String? {
        guard unshown > 0 else { return nil }
        return "… and \(unshown) more problem\(unshown == 1 ? "" : "s") (fix those above and run again to see them)"
    }
}

/// Problems found one by one: the first `ScreenfulRule.limit` are kept, the
/// rest only counted, so a file with millions of bad cells takes no more memory than a screenful.
public struct ScreenfulList<Problem: Sendable & Equatable>: Sendable, Equatable {
    /// The problems to print, in the order found.
    public private(set) var shown: [Problem] = []
    /// All problems found, shown or not.
    public private(set) var total = 0

    public init() {}

    public init<Problems: Sequence>(_ problems: Problems) where Problems.Element == Problem {
        for problem in problems { append(problem) }
    }

    public mutating func append(_ problem: Problem) {
        total += 1
        if shown.count < ScreenfulRule.limit { shown.append(problem) }
    }

    /// Appends `other`'s problems after these (its unshown ones are counted).
    public mutating func append(contentsOf other: ScreenfulList) {
        for problem in other.shown { append(problem) }
        total += other.unshown
    }

    /// The same list with each shown problem transformed (the count unchanged).
    public func map<Other>(_ transform: (Problem) throws -> Other) rethrows -> ScreenfulList<Other> {
        var result = ScreenfulList<Other>()
        result.shown = try shown.map(transform)
        result.total = total
        return result
    }

    public var isEmpty: Bool { total == 0 }

    /// How many were found but are not shown.
    public var unshown: Int { total - shown.count }

    /// The line that ends a printed list, when some are not shown.
    public var moreLine: String? { ScreenfulRule.moreLine(unshown: unshown) }
}
