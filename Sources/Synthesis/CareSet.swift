/// The table addresses whose outputs matter; the others are don't-cares the
/// mapper may fill freely (DESIGN.md §2, opt-in). A bitset: address `a` is
/// cared for when bit `a % 64` of `words[a / 64]` is set.
public struct CareSet: Hashable, Codable, Sendable {
    public var addressBits: Int
    public var words: [UInt64]

    public init(addressBits: Int, words: [UInt64]) {
        precondition(words.count == Self.wordCount(addressBits: addressBits), "a care set has one bit per table address")
        self.addressBits = addressBits
        if addressBits < 6 {
            self.words = [words[0] & ((1 << (1 << addressBits)) - 1)]
        } else {
            self.words = words
        }
    }

    /// The care set holding exactly `addresses`.
    public init(addressBits: Int, addresses: some Sequence<Int>) {
        var words = [UInt64](repeating: 0, count: Self.wordCount(addressBits: addressBits))
        for address in addresses { words[address >> 6] |= 1 << UInt64(address & 63) }
        self.init(addressBits: addressBits, words: words)
    }

    public static func wordCount(addressBits: Int) -> Int { max(1, (1 << addressBits) / 64) }

    @inlinable
    public func contains(_ address: Int) -> Bool { (words[address >> 6] >> UInt64(address & 63)) & 1 == 1 }

    /// Number of cared-for addresses.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every address is cared for (no don't-cares).
    public var isFull: Bool { count == 1 << addressBits }
}
