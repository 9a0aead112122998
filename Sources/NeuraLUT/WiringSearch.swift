import Foundation

/// Moves layer 0's inputs during a training run, by the loss (docs/training.md, "Wiring
/// search"; mnist-frontier.md, round 10). For each input slot of a partition and each pixel c
/// in a window around the slot's pixel (every channel of the window's pixels), the run sums over its steps Σ_s ∂L/∂x_s · v_c,s: ∂L/∂x
/// is the slot's input gradient, which the backward pass computes anyway, and v_c the value
/// pixel c presents. Its difference from the same sum for the slot's own pixel is the
/// first-order change of the loss had the slot read c, with the partition's weights kept.
/// Every `period` epochs, the partitions whose best (slot, pixel) pair is among the
/// `partitions · movedShare` largest estimated decreases of all pairs move that one input.
/// Moving more undoes what the partitions learnt (round 10: every partition with any
/// estimated decrease, every epoch, cost 0.9 points).
///
/// Every sum is a partition's own, taken in sample order, so the moves never depend on threads.
final class WiringSearch {
    /// The window around a slot's pixel: 9 × 9 pixels.
    static let radius = 4
    static let period = 2
    /// Inputs move until this share of the epochs; the rest of the run trains on the wiring.
    static let movingShare = 0.7
    static let movedShare = 0.1

    let image: ImageGeometry
    let fanIn: Int
    let features: Int
    /// Pixels layer 0 may read: those the drawn wiring reads (the active ones).
    private(set) var allowed: [Bool]
    private(set) var wiring: [[Int]]
    /// `candidates[p · fanIn + i]`: the slot's own pixel first, then the window's other allowed
    /// pixels that the partition does not read.
    private var candidates: [[Int]] = []
    private var sumStart: [Int] = []
    private var sums: UnsafeMutablePointer<Double>
    /// No input moves any more: the sums are no longer needed.
    private(set) var finished = false

    init(wiring: [[Int]], fanIn: Int, features: Int, image: ImageGeometry) {
        self.wiring = wiring
        self.fanIn = fanIn
        self.features = features
        self.image = image
        var allowed = [Bool](repeating: false, count: features)
        for inputs in wiring { for f in inputs { allowed[f] = true } }
        self.allowed = allowed
        sums = .allocate(capacity: 1)
        restart()
    }

    deinit { sums.deallocate() }

    /// New candidates around the current wiring, and zero sums.
    private func restart() {
        candidates = []
        sumStart = [0]
        let rows = image.height(features: features)
        for inputs in wiring {
            for feature in inputs {
                let row = image.row(of: feature), column = image.column(of: feature)
                var list = [feature]
                for r in max(row - Self.radius, 0)...min(row + Self.radius, rows - 1) {
                    for c in max(column - Self.radius, 0)...min(column + Self.radius, image.width - 1) {
                        for channel in 0..<image.channels {
                            let f = image.feature(row: r, column: c, channel: channel)
                            if allowed[f], !inputs.contains(f) { list.append(f) }
                        }
                    }
                }
                candidates.append(list)
                sumStart.append(sumStart.last! + list.count)
            }
        }
        sums.deallocate()
        sums = .allocate(capacity: sumStart.last!)
        sums.initialize(repeating: 0, count: sumStart.last!)
    }

    /// A checkpoint's share of the search: the pixels it may use, the current period's sums
    /// and whether inputs still move. The candidates follow from these and the wiring (the
    /// checkpoint's connectivity), so a resumed run moves exactly the inputs an uninterrupted one does.
    func write(to w: inout ByteWriter) {
        w.append(allowed.map { $0 ? Float(1) : 0 })
        w.append(sumStart.last!)
        for k in 0..<sumStart.last! { w.append(sums[k]) }
        w.append(finished ? 1 : 0)
    }

    /// Takes back what `write(to:)` kept, on a search made from the checkpoint's wiring.
    func restore(from r: inout ByteReader) throws {
        let allowed = try r.floats()
        guard allowed.count == features else {
            throw FormatError("checkpoint: the wiring search covers \(allowed.count) features, the network reads \(features)")
        }
        self.allowed = allowed.map { $0 != 0 }
        restart()
        let count = try r.int()
        guard count == sumStart.last! else {
            throw FormatError("checkpoint: the wiring search holds \(count) sums, its wiring needs \(sumStart.last!)")
        }
        for k in 0..<count { sums[k] = try r.double() }
        finished = try r.int() == 1
    }

    /// Adds a step's sums: `slots` are layer 0's, after the backward pass wrote their input
    /// gradients; `values` the layer's input rows (`features × batch`).
    func accumulate(slots: UnsafeMutableBufferPointer<PartitionSlot>, values: UnsafePointer<Float>, batch: Int, count n: Int, threads: Int)
    {
        let sums = self.sums, fanIn = self.fanIn
        candidates.withUnsafeBufferPointer { candidates in
            sumStart.withUnsafeBufferPointer { starts in
                Workers.forEach(slots.count, threads: threads) { p, _ in
                    let dx = slots[p].dx
                    for i in 0..<fanIn {
                        let gradient = dx + i * batch, j = p * fanIn + i
                        for (k, pixel) in candidates[j].enumerated() {
                            sums[starts[j] + k] += Double(Self.dot(gradient, values + pixel * batch, count: n))
                        }
                    }
                }
            }
        }
    }

    private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        typealias V = SIMD8<Float>
        var lanes = V(repeating: 0)
        var i = 0
        while i + V.scalarCount <= n {
            lanes += UnsafeRawPointer(a + i).loadUnaligned(as: V.self) * UnsafeRawPointer(b + i).loadUnaligned(as: V.self)
            i += V.scalarCount
        }
        var sum = lanes.sum()
        while i < n {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// At the end of epoch `epoch` (counted from 1) of `epochs`: the inputs that move, if it is
    /// time to move and any does; the sums restart either way.
    func move(afterEpoch epoch: Int, of epochs: Int) -> Int {
        if Double(epoch) >= Self.movingShare * Double(epochs) { finished = true }
        guard epoch % Self.period == 0, !finished else { return 0 }
        defer { restart() }
        // Each slot's best pair, then each partition's best slot.
        var best: [(decrease: Double, slot: Int, pixel: Int)] = []
        var decreases: [Double] = []
        for p in wiring.indices {
            var partitionBest = (decrease: 0.0, slot: -1, pixel: -1)
            for i in 0..<fanIn {
                let j = p * fanIn + i, start = sumStart[j], own = sums[start]
                for k in candidates[j].indices.dropFirst() {
                    let decrease = own - sums[start + k]
                    decreases.append(decrease)
                    if decrease > partitionBest.decrease { partitionBest = (decrease, i, candidates[j][k]) }
                }
            }
            best.append(partitionBest)
        }
        let rank = Int(Double(wiring.count) * Self.movedShare)
        guard rank < decreases.count else { return 0 }
        decreases.sort(by: >)
        let cut = decreases[rank]
        var moved = 0
        for p in wiring.indices where best[p].slot >= 0 && best[p].decrease > cut {
            wiring[p][best[p].slot] = best[p].pixel
            moved += 1
        }
        return moved
    }
}
