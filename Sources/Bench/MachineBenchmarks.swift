import Allocation
import Foundation
import NeuraLUT

/// The machine's own limits, printed next to the training figures so their
/// fraction of the limit can be read off one run (docs/training.md, "Against
/// the machine's limit").
let machineBenchmarks: [Benchmark] = [
    Benchmark(names: ["machine.sgemm_gflops"]) {
        [
            Figure(
                name: "machine.sgemm_gflops", value: SGEMMProbe().gflops(threads: CPUAllocation.count),
                unit: "GFLOP/s")
        ]
    }
]

/// Single-precision GEMM at the speed the project's build settings allow:
/// a register-blocked micro-kernel (6 rows × 16 columns of C in 12 vector
/// registers, one broadcast of A and one 16-float load of B per 6 pairs of
/// FMAs) on packed panels, K blocked to 256 so a panel of B stays in L1,
/// row panels of C spread over the CPUs this process may use (`CPUAllocation`,
/// as training sizes its threads). Compiled for the same target CPU
/// as the training kernels, so it is the ceiling they can be held against.
///
/// A limit, not a share: the panels are packed once, and the figure is the
/// best of many short products (about 2 ms each on an idle machine), so on
/// a shared machine some of them run while both cores are free.
struct SGEMMProbe {
    typealias Vec = SIMD16<Float>
    static let rows = 6, columns = 16, depthBlock = 256
    /// C is m × n, A m × k, B k × n; m a multiple of 6, n of 16, k of 256.
    let m = 6 * 32, n = 512, k = 1024

    /// Best of `runs` products, in 2 × 10⁹ multiply-adds per second.
    func gflops(threads: Int, runs: Int = 200) -> Double {
        var rng = SystemIndependentNormal(seed: 7)
        let (pa, pb) = pack((0..<m * k).map { _ in rng.next() }, (0..<k * n).map { _ in rng.next() })
        var c = [Float](repeating: 0, count: m * n)
        var best = Double.infinity
        for _ in 0..<runs {
            best = min(best, measureSeconds { multiply(pa, pb, &c, threads: threads) })
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }

    /// Row-major `a` and `b` as panels: A as [row panel][k][6], B as [k block][column panel][kc][16].
    func pack(_ a: [Float], _ b: [Float]) -> (a: [Float], b: [Float]) {
        let (mr, nr, kc) = (Self.rows, Self.columns, Self.depthBlock)
        var pa = [Float](repeating: 0, count: m * k)
        var pb = [Float](repeating: 0, count: k * n)
        for panel in 0..<m / mr {
            for kk in 0..<k {
                for r in 0..<mr { pa[panel * mr * k + kk * mr + r] = a[(panel * mr + r) * k + kk] }
            }
        }
        for block in 0..<k / kc {
            for panel in 0..<n / nr {
                for kk in 0..<kc {
                    let base = block * kc * n + panel * kc * nr + kk * nr
                    for j in 0..<nr { pb[base + j] = b[(block * kc + kk) * n + panel * nr + j] }
                }
            }
        }
        return (pa, pb)
    }

    /// `c = a · b` from packed panels.
    func multiply(_ pa: [Float], _ pb: [Float], _ c: inout [Float], threads: Int) {
        let (mr, nr, kc) = (Self.rows, Self.columns, Self.depthBlock)
        let (m, n, k) = (self.m, self.n, self.k)
        let blocks = k / kc
        pa.withUnsafeBufferPointer { pa in
            pb.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { c in
                    let (pa, pb, c) = (
                        UnsafeSendablePointer(pa.baseAddress!), UnsafeSendablePointer(pb.baseAddress!),
                        UnsafeSendablePointer(c.baseAddress!)
                    )
                    let panels = m / mr
                    let share = (panels + threads - 1) / threads
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        for panel in t * share..<min((t + 1) * share, panels) {
                            for block in 0..<blocks {
                                let ap = UnsafePointer(pa.pointer) + panel * mr * k + block * kc * mr
                                for column in 0..<n / nr {
                                    let bp = UnsafePointer(pb.pointer) + block * kc * n + column * kc * nr
                                    Self.kernel(
                                        ap, bp, c.pointer + panel * mr * n + column * nr, ldc: n, depth: kc,
                                        accumulate: block > 0)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// C[0..<6][0..<16] (+)= Σ_k ap[k][r] · bp[k][0..<16].
    @inline(__always)
    static func kernel(
        _ ap: UnsafePointer<Float>, _ bp: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        ldc: Int, depth: Int, accumulate: Bool
    ) {
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> Vec { UnsafeRawPointer(p).loadUnaligned(as: Vec.self) }
        @inline(__always) func start(_ r: Int) -> Vec { accumulate ? load(c + r * ldc) : Vec(repeating: 0) }
        var c0 = start(0), c1 = start(1), c2 = start(2), c3 = start(3), c4 = start(4), c5 = start(5)
        var a = ap, b = bp
        for _ in 0..<depth {
            let v = load(b)
            c0 = c0.addingProduct(Vec(repeating: a[0]), v)
            c1 = c1.addingProduct(Vec(repeating: a[1]), v)
            c2 = c2.addingProduct(Vec(repeating: a[2]), v)
            c3 = c3.addingProduct(Vec(repeating: a[3]), v)
            c4 = c4.addingProduct(Vec(repeating: a[4]), v)
            c5 = c5.addingProduct(Vec(repeating: a[5]), v)
            a += 6
            b += 16
        }
        @inline(__always) func store(_ v: Vec, _ r: Int) { UnsafeMutableRawPointer(c + r * ldc).storeBytes(of: v, as: Vec.self) }
        store(c0, 0)
        store(c1, 1)
        store(c2, 2)
        store(c3, 3)
        store(c4, 4)
        store(c5, 5)
    }
}

/// A pointer shared by threads that write disjoint parts of it.
struct UnsafeSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
