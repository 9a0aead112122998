import Diagnostics
import Foundation

/// Little-endian writer for the project's compact binary formats.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ v: Float) { append(v.bitPattern) }

    mutating func append(_ v: Double) { append(v.bitPattern) }

    mutating func append(_ v: Int) { append(UInt64(bitPattern: Int64(v))) }

    mutating func append(_ values: [Float]) {
        append(UInt64(values.count))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for v in values { append(v) }
    }

    mutating func append(magic: String) { bytes.append(contentsOf: Array(magic.utf8)) }

    mutating func append(blob: [UInt8]) {
        append(UInt64(blob.count))
        bytes.append(contentsOf: blob)
    }
}

/// A decoding error naming what was expected where.
public struct FormatError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads what `ByteWriter` wrote; every read checks bounds and throws.
struct ByteReader {
    let bytes: [UInt8]
    let what: String
    private(set) var position = 0

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else {
            throw FormatError("\(what): truncated at byte \(position), expected \(n) more bytes")
        }
        defer { position += n }
        return bytes[position..<position + n]
    }

    mutating func uint32() throws -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64() throws -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func float() throws -> Float { Float(bitPattern: try uint32()) }

    mutating func double() throws -> Double { Double(bitPattern: try uint64()) }

    mutating func int() throws -> Int { Int(Int64(bitPattern: try uint64())) }

    mutating func floats() throws -> [Float] {
        let n = try uint64()
        guard n <= UInt64(bytes.count - position) / 4 else {
            throw FormatError("\(what): float array of \(n) values at byte \(position) exceeds the data")
        }
        let slice = try take(Int(n) * 4)
        var out = [Float](repeating: 0, count: Int(n))
        slice.withUnsafeBytes { raw in
            for i in 0..<Int(n) {
                out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
        }
        return out
    }

    mutating func blob() throws -> [UInt8] {
        let n = try uint64()
        guard n <= UInt64(bytes.count - position) else {
            throw FormatError("\(what): blob of \(n) bytes at byte \(position) exceeds the data")
        }
        return Array(try take(Int(n)))
    }

    /// Checks the magic and format version every encoded object starts with.
    mutating func expectHeader(magic: String, version expected: UInt32) throws {
        let got = try take(magic.utf8.count)
        guard Array(got) == Array(magic.utf8) else {
            throw FormatError("\(what): expected magic \"\(magic)\" at byte \(position - magic.utf8.count)")
        }
        let version = try uint32()
        guard version == expected else {
            throw FormatError("\(what): unsupported version \(version), expected \(expected)")
        }
    }

    func expectEnd() throws {
        guard position == bytes.count else {
            throw FormatError("\(what): \(bytes.count - position) unexpected trailing bytes at byte \(position)")
        }
    }
}

/// A stored object cannot be read (exit 1).
extension FormatError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
