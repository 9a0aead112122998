/// Row selection and seeded splitting.
extension Dataset {
    /// The rows at `indices`, in that order; same columns and classes.
    public func subset(rows indices: [Int]) -> Dataset {
        var values: [Float] = []
        values.reserveCapacity(indices.count * columns)
        for r in indices { values.append(contentsOf: row(r)) }
        return Dataset(
            features: values, labels: indices.map { labels[$0] }, rows: indices.count, columns: columns,
            classes: classes, featureNames: featureNames)
    }

    /// Splits the rows at random into a kept part and a held-out part of
    /// `round(fraction · rows)` rows; both keep the original row order.
    /// The same generator state gives the same split on every platform.
    public func split(
        holdingOut fraction: Double, using generator: inout some RandomNumberGenerator
    ) -> (kept: Dataset, heldOut: Dataset) {
        let heldCount = Self.heldOutRows(of: rows, fraction: fraction)
        var order = Array(0..<rows)
        // Fisher–Yates on the first heldCount positions with our own bounded draw,
        // because the standard library's shuffle algorithm is not specified.
        for i in 0..<heldCount {
            let j = i + Int((generator.next() >> 11) % UInt64(rows - i))
            order.swapAt(i, j)
        }
        let held = order[..<heldCount].sorted()
        let kept = order[heldCount...].sorted()
        return (subset(rows: kept), subset(rows: held))
    }

    /// The rows `split(holdingOut: fraction)` holds out of `rows`.
    public static func heldOutRows(of rows: Int, fraction: Double) -> Int {
        Int((fraction * Double(rows)).rounded())
    }

    /// The same data with `classes` raised to `count` (e.g. to agree with other parts).
    public func withClasses(_ count: Int) -> Dataset {
        var copy = self
        copy.classes = count
        return copy
    }
}
