import Datasets

/// How often each input feature carries a value other than its usual one.
/// Layer 0's partitions have only a few inputs each; wiring one to a pixel
/// that is background in almost every image wastes a share of its table.
public enum InputActivity {
    /// Share of `rows` in which each feature differs from its more common
    /// extreme value (minimum or maximum): 0 for a constant feature, about 1
    /// for a continuous one. Exact for binary and sparse features (MNIST's
    /// background pixels); a feature whose most common value lies between its
    /// extremes comes out higher than it is, so it is never dropped wrongly.
    public static func measure(_ data: Dataset, rows: [Int]) -> [Double] {
        let columns = data.columns
        guard !rows.isEmpty else { return .init(repeating: 0, count: columns) }
        var low = [Float](repeating: .infinity, count: columns), high = [Float](repeating: -.infinity, count: columns)
        var atLow = [Int](repeating: 0, count: columns), atHigh = [Int](repeating: 0, count: columns)
        data.features.withUnsafeBufferPointer { features in
            for r in rows {
                let row = features.baseAddress! + r * columns
                for f in 0..<columns {
                    let v = row[f]
                    if v < low[f] {
                        low[f] = v
                        atLow[f] = 0
                    }
                    if v == low[f] { atLow[f] += 1 }
                    if v > high[f] {
                        high[f] = v
                        atHigh[f] = 0
                    }
                    if v == high[f] { atHigh[f] += 1 }
                }
            }
        }
        return (0..<columns).map { 1 - Double(max(atLow[$0], atHigh[$0])) / Double(rows.count) }
    }

    /// Indices of the features whose activity exceeds `threshold`; when that
    /// leaves fewer than `minimum`, the `minimum` most active features (ties
    /// to the lower index). Sorted.
    public static func select(_ activity: [Double], above threshold: Double, minimum: Int) -> [Int] {
        let chosen = activity.indices.filter { activity[$0] > threshold }
        if chosen.count >= minimum { return chosen }
        let ranked = activity.indices.sorted { (activity[$0], -$0) > (activity[$1], -$1) }
        return ranked.prefix(minimum).sorted()
    }
}

extension Connectivity {
    /// The wiring training draws by default: `random(for:inputFeatures:)`
    /// with layer 0 on the features active in more than `minInputActivity`
    /// of `rows` (at least the first layer's fan-in of them), or
    /// `patches(…)` of those features on an `image`.
    public static func draw(
        for spec: NetworkSpec, data: Dataset, rows: [Int], minInputActivity: Double,
        image: ImageGeometry? = nil
    ) -> Connectivity {
        draw(
            seed: spec.seed, layers: spec.layers.map(LayerWiring.init), data: data, rows: rows,
            minInputActivity: minInputActivity, image: image)
    }

    /// The same draw from exactly what it depends on (see `random(seed:layers:inputFeatures:)`
    /// and `patches(seed:layers:inputFeatures:image:)`).
    public static func draw(
        seed: UInt64, layers: [LayerWiring], data: Dataset, rows: [Int], minInputActivity: Double,
        image: ImageGeometry? = nil
    ) -> Connectivity {
        let active = InputActivity.select(
            InputActivity.measure(data, rows: rows), above: minInputActivity,
            minimum: layers.first?.fanIn ?? 0)
        if let image { return patches(seed: seed, layers: layers, inputFeatures: active, image: image) }
        return random(seed: seed, layers: layers, inputFeatures: active)
    }
}
