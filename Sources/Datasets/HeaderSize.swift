/// Sizes computed from numbers in a file's header, which a corrupt or crafted
/// file can make as large as it likes: every product is checked, never wrapped.
enum HeaderSize {
    /// The product of `factors`, or nil when it does not fit in an `Int`.
    static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (product, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = product
        }
        return result
    }
}
