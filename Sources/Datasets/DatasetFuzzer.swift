import Foundation

/// Seeded mutations of valid data files (truncations, byte flips, runs of
/// 0x00/0xFF, inserted digits), shared by the fuzz tests and `bench/run
/// reliability.fuzz.*`: every mutation must load or be rejected with a
/// `DatasetError` (or `DatasetErrors`); anything else is a bug.
package enum DatasetFuzzer {
    package struct Outcome: Sendable {
        package var cases = 0
        package var loaded = 0
        package var rejected = 0

        package init() {}
    }

    /// Runs `load` on `cases` mutations of `valid` drawn from `seed`; a
    /// non-`DatasetError` error counts as neither loaded nor rejected.
    package static func run(seed: UInt64, cases: Int, from valid: [UInt8], load: ([UInt8]) throws -> Void) -> Outcome {
        var random = SplitMix(seed: seed)
        var outcome = Outcome()
        for _ in 0..<cases {
            let bytes = mutate(valid, &random)
            outcome.cases += 1
            do {
                try load(bytes)
                outcome.loaded += 1
            } catch is DatasetError, is DatasetErrors {
                outcome.rejected += 1
            } catch {}
        }
        return outcome
    }

    static func mutate(_ valid: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var bytes = valid
        guard !bytes.isEmpty else { return bytes }
        switch random.next() % 5 {
        case 0:
            bytes.removeLast(Int(random.next() % UInt64(bytes.count + 1)))
        case 1:
            for _ in 0...Int(random.next() % 4) {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(1 << (random.next() % 8))
            }
        case 2:
            let start = Int(random.next() % UInt64(bytes.count))
            let length = min(bytes.count - start, 1 + Int(random.next() % 8))
            let fill: UInt8 = random.next() % 2 == 0 ? 0x00 : 0xFF
            bytes.replaceSubrange(start..<start + length, with: repeatElement(fill, count: length))
        case 3:
            bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
        default:
            let at = Int(random.next() % UInt64(bytes.count + 1))
            bytes.insert(contentsOf: Array("9999999999".utf8.prefix(1 + Int(random.next() % 10))), at: at)
        }
        return bytes
    }

    /// Loads IDX images and labels as `IDXLoader.load` does, from bytes (gzip or not).
    @discardableResult
    package static func loadIDX(images: [UInt8], labels: [UInt8]) throws -> Dataset {
        try IDXLoader.parse(
            images: FileBytes.decode(Data(images), displayName: "images"), named: "images",
            labels: FileBytes.decode(Data(labels), displayName: "labels"), named: "labels", classes: nil)
    }

    /// Loads NPY features and labels as `NPYLoader.load` does, from bytes (gzip or not).
    @discardableResult
    package static func loadNPY(features: [UInt8], labels: [UInt8]) throws -> Dataset {
        try NPYLoader.parse(
            features: FileBytes.decode(Data(features), displayName: "features"), named: "features",
            labels: FileBytes.decode(Data(labels), displayName: "labels"), named: "labels", classes: nil)
    }

    /// An IDX file of unsigned bytes.
    package static func idx(dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 8, UInt8(dimensions.count)]
        for d in dimensions { bytes += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return bytes + payload
    }

    /// An NPY version 1 file with the given header dictionary and payload.
    package static func npy(_ header: String, _ payload: [UInt8]) -> [UInt8] {
        var dict = Array(header.utf8)
        while (10 + dict.count + 1) % 64 != 0 { dict.append(0x20) }
        dict.append(0x0A)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.count & 255), UInt8(dict.count >> 8)] + dict + payload
    }

    /// `bytes` as a gzip file.
    package static func gzip(_ bytes: [UInt8]) throws -> [UInt8] { try Gzip.compress(bytes) }

    /// Peak resident memory of this process so far.
    package static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// SplitMix64: a tiny seeded generator, the same sequence everywhere.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D4_9B8D_311B_133B
        return z ^ (z >> 31)
    }
}
