import Foundation

/// One named figure, printed as a JSON line by `bench/run` (docs/method.md, "Benchmarks").
struct Figure: Sendable {
    var name: String
    var value: Double
    var unit: String
}

/// A benchmark measures one or more figures. `names` lists every figure it
/// can print, so `bench/run NAME` can select it before running anything.
struct Benchmark: Sendable {
    var names: [String]
    /// Runs only in `bench/run --full` (long training to final accuracy).
    var fullOnly: Bool = false
    /// Returns the figures; throws `BenchError` to report why it cannot run.
    var run: @Sendable () throws -> [Figure]
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where `../shared/datasets` is, relative to the project root (`bench/run` runs there).
let sharedDatasets = URL(fileURLWithPath: "../shared/datasets")

/// Wall-clock seconds of `body`.
func measureSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
