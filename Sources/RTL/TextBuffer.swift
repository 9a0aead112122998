/// An append-only UTF-8 byte buffer: generated files run to megabytes, and
/// appending bytes and hex digits directly is far cheaper than interpolation.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    /// `value` in exactly `digits` lower-case hex digits.
    mutating func appendHex(_ value: UInt64, digits: Int) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            bytes.append(hexDigits[Int((value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Hex digits needed for `bits` bits.
func hexDigitCount(bits: Int) -> Int { max(1, (bits + 3) / 4) }

/// Verilog bit range `[hi:lo]` of a `width`-bit vector.
func range(_ width: Int) -> String { "[\(width - 1):0]" }

/// Bits needed to index `count` things (at least 1).
func indexBits(_ count: Int) -> Int {
    var bits = 1
    while (1 << bits) < count { bits += 1 }
    return bits
}
