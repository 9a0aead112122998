import NeuraLUT

/// An append-only UTF-8 byte buffer: generated files run to megabytes, and
/// appending bytes and hex digits directly is far cheaper than interpolation.
/// `package`: the Synthesis module emits netlist modules with it.
package struct TextBuffer {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    package mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    package mutating func append(byte: UInt8) { bytes.append(byte) }

    /// Another buffer's bytes, without a trip through `String`.
    package mutating func append(_ other: TextBuffer) { bytes.append(contentsOf: other.bytes) }

    /// `value` in exactly `digits` lower-case hex digits.
    package mutating func appendHex(_ value: UInt64, digits: Int) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            bytes.append(hexDigits[Int((value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }

    package var string: String { String(decoding: bytes, as: UTF8.self) }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Hex digits needed for `bits` bits.
package func hexDigitCount(bits: Int) -> Int { max(1, (bits + 3) / 4) }

/// Verilog bit range `[hi:lo]` of a `width`-bit vector.
package func range(_ width: Int) -> String { "[\(width - 1):0]" }

/// Bits needed to index `count` things (at least 1).
func indexBits(_ count: Int) -> Int { max(1, ClassScores.ceilLog2(count)) }
