import Foundation

/// How a raw feature value travels on a hardware input port: two's
/// complement (`s`) or unsigned (`u`) with `integerBits` before the binary
/// point (the sign bit included) and `fractionBits` after it, spelled
/// `u8.0` or `s4.12`. The port carries `round(x · 2^fractionBits)`, clamped.
public struct FixedPointFormat: Hashable, Codable, Sendable, CustomStringConvertible {
    public var isSigned: Bool
    public var integerBits: Int
    public var fractionBits: Int

    /// The widest format offered: the test vectors hold 16-bit values.
    public static let maximumBits = 16
    /// What `[rtl] input_format` accepts, for messages.
    public static let spelling =
        "\"auto\" or a fixed-point format such as \"u8.0\" (unsigned, 8 integer bits) or \"s4.12\" (signed, 4 integer bits"
        + " including the sign, 12 fraction bits), at most \(maximumBits) bits"

    public init(isSigned: Bool, integerBits: Int, fractionBits: Int) {
        self.isSigned = isSigned
        self.integerBits = integerBits
        self.fractionBits = fractionBits
    }

    /// `u8.0`, `s4.12`; nil when malformed or wider than `maximumBits`.
    public init?(parsing text: String) {
        guard let sign = text.first, sign == "u" || sign == "s" else { return nil }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let integer = Int(parts[0]), let fraction = Int(parts[1]),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            integer >= (sign == "s" ? 1 : 0), fraction >= 0, integer + fraction >= 1,
            integer + fraction <= Self.maximumBits
        else { return nil }
        self.init(isSigned: sign == "s", integerBits: integer, fractionBits: fraction)
    }

    public var description: String { "\(isSigned ? "s" : "u")\(integerBits).\(fractionBits)" }
    public var bits: Int { integerBits + fractionBits }
    /// The smallest and largest port value (integers, in units of 2^-fractionBits).
    public var minimum: Int { isSigned ? -(1 << (bits - 1)) : 0 }
    public var maximum: Int { isSigned ? (1 << (bits - 1)) - 1 : (1 << bits) - 1 }

    /// The port value of raw value `x`: round half to even of x · 2^F, clamped.
    public func quantize(_ x: Double) -> Int {
        let scaled = (x * Double(1 << fractionBits)).rounded(.toNearestOrEven)
        guard scaled.isFinite else { return scaled > 0 ? maximum : minimum }
        return Int(min(max(scaled, Double(minimum)), Double(maximum)))
    }

    /// The port value as a `bits`-wide two's complement bit pattern.
    public func pattern(_ value: Int) -> UInt16 { UInt16(truncatingIfNeeded: value) & UInt16(truncatingIfNeeded: (1 << bits) - 1) }

    /// `[rtl] input_format = "auto"`: the narrowest format whose integer part
    /// holds the data's range `minimum...maximum`; no fraction bits when every
    /// value is an integer (pixels: `u8.0`), else the rest of 16 bits.
    public static func fitting(minimum: Double, maximum: Double, integral: Bool) -> FixedPointFormat {
        let signed = minimum < 0
        var integer = signed ? 1 : 0
        func holds(_ bits: Int) -> Bool {
            signed
                ? (minimum >= -Double(1 << (bits - 1)) && maximum < Double(1 << (bits - 1)))
                : maximum < Double(1 << bits)
        }
        while integer < maximumBits && !holds(integer) { integer += 1 }
        integer = max(integer, signed ? 2 : 1)
        return FixedPointFormat(isSigned: signed, integerBits: integer, fractionBits: integral ? 0 : maximumBits - integer)
    }
}
