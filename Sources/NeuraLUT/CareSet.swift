/// The addresses of one partition's truth table whose codes matter: those
/// the training data reaches through the network (docs/hardware.md,
/// "Don't-cares"). A logic mapper may give any code to the other addresses,
/// which is how don't-cares save LUTs (the ReducedLUT idea).
///
/// A bitset over the table's 2^addressBits addresses: bit `a % 64` of
/// `words[a / 64]` is set when address `a` is cared for. Bits beyond the
/// table (tables under 64 entries) are always clear, so equal sets have
/// equal words and equal encodings.
public struct CareSet: Hashable, Sendable, CustomStringConvertible {
    public let addressBits: Int
    public private(set) var words: [UInt64]

    /// The empty set (every address a don't-care).
    public init(addressBits: Int) {
        precondition((0...30).contains(addressBits), "a care set covers 2^0 … 2^30 addresses")
        self.addressBits = addressBits
        words = [UInt64](repeating: 0, count: Self.wordCount(addressBits: addressBits))
    }

    /// The set holding exactly `addresses`.
    public init(addressBits: Int, addresses: some Sequence<Int>) {
        self.init(addressBits: addressBits)
        for address in addresses { insert(address) }
    }

    /// The set whose bitset is `words` (`wordCount(addressBits:)` of them);
    /// bits beyond the table are dropped.
    public init(addressBits: Int, words: [UInt64]) {
        self.init(addressBits: addressBits)
        precondition(words.count == self.words.count, "a care set of \(addressBits) address bits has \(self.words.count) words")
        self.words = words
        self.words[words.count - 1] &= lastWordMask
    }

    /// Every address cared for: the exact table.
    public static func all(addressBits: Int) -> CareSet {
        var set = CareSet(addressBits: addressBits)
        for i in set.words.indices { set.words[i] = ~0 }
        set.words[set.words.count - 1] &= set.lastWordMask
        return set
    }

    /// The addresses `address` for which `isCared(address)` holds.
    public init(addressBits: Int, where isCared: (Int) -> Bool) {
        self.init(addressBits: addressBits)
        for address in 0..<entries where isCared(address) { insert(address) }
    }

    /// Number of table entries (2^addressBits).
    public var entries: Int { 1 << addressBits }

    public func contains(_ address: Int) -> Bool {
        words[address >> 6] & (1 << UInt64(address & 63)) != 0
    }

    public mutating func insert(_ address: Int) {
        precondition((0..<entries).contains(address), "address \(address) outside a table of \(entries) entries")
        words[address >> 6] |= 1 << UInt64(address & 63)
    }

    /// Number of cared-for addresses.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public var isFull: Bool { count == entries }

    /// Cared-for addresses in increasing order.
    public var addresses: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                out.append(w << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return out
    }

    public var description: String { "\(count) of \(entries) addresses" }

    /// The set plus every address whose code on exactly one input differs
    /// by at most `steps` from a member's (the address holds `fanIn` codes
    /// of `inputBits` bits, input 0 in the most significant bits). Test rows
    /// near the training data then keep the exact table's answer.
    public func widened(fanIn: Int, inputBits: Int, steps: Int) -> CareSet {
        precondition(fanIn * inputBits == addressBits, "fan-in × input bits must equal the address bits")
        guard steps > 0 else { return self }
        var result = self
        let mask = (1 << inputBits) - 1
        for address in addresses {
            for input in 0..<fanIn {
                let shift = (fanIn - 1 - input) * inputBits
                let code = (address >> shift) & mask
                let cleared = address & ~(mask << shift)
                for neighbour in max(0, code - steps)...min(mask, code + steps) {
                    result.insert(cleared | neighbour << shift)
                }
            }
        }
        return result
    }

    /// The first cared-for address where `candidate` differs from `exact`,
    /// or nil when a mapped table honours the care set.
    public func firstDisagreement(exact: TruthTable, candidate: TruthTable) -> Int? {
        precondition(
            exact.addressBits == addressBits && candidate.addressBits == addressBits,
            "tables and care set must have the same address bits")
        return addresses.first { exact.codes[$0] != candidate.codes[$0] }
    }

    static let magic = "NLCS"
    static let version: UInt32 = 1

    /// Compact binary form: "NLCS", version, address bits (UInt32 LE), then
    /// the words (UInt64 LE). Deterministic: equal sets, equal bytes.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.append(magic: Self.magic)
        w.append(Self.version)
        w.append(UInt32(addressBits))
        for word in words { w.append(word) }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes, what: "care set")
        try r.expectHeader(magic: Self.magic, version: Self.version)
        let addressBits = Int(try r.uint32())
        guard addressBits <= 30 else { throw FormatError("care set: \(addressBits) address bits, at most 30") }
        self.init(addressBits: addressBits)
        for i in words.indices { words[i] = try r.uint64() }
        try r.expectEnd()
        guard words[words.count - 1] & ~lastWordMask == 0 else {
            throw FormatError("care set: addresses beyond a table of \(entries) entries")
        }
    }

    /// Words of the bitset of a table with `addressBits` address bits.
    public static func wordCount(addressBits: Int) -> Int { max(1, (1 << addressBits) / 64) }

    /// The bits of the last word that lie inside the table.
    private var lastWordMask: UInt64 { addressBits >= 6 ? ~0 : (1 << UInt64(entries)) - 1 }
}
