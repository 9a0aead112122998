import Crypto
import Foundation

/// A SHA-256 content digest in lowercase hex: the identity of every input,
/// output and step key in the build, stable across machines.
public struct Digest: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hex: String

    /// Accepts exactly 64 lowercase hex digits; anything else is not a digest.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            return nil
        }
        self.hex = hex
    }

    private init(trustedHex: String) { hex = trustedHex }

    /// The digest of `bytes`.
    public static func of(_ bytes: Data) -> Digest {
        Digest(trustedHex: hexString(SHA256.hash(data: bytes)))
    }

    /// The digest of `bytes`.
    public static func of(_ bytes: [UInt8]) -> Digest {
        Digest(trustedHex: hexString(SHA256.hash(data: bytes)))
    }

    /// The digest of a string's UTF-8 bytes.
    public static func of(_ string: String) -> Digest { of(Data(string.utf8)) }

    /// The first 12 hex digits, enough to tell digests apart in messages.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }
}

private let hexDigits = Array("0123456789abcdef".utf8)

private func hexString<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
    var out = [UInt8]()
    out.reserveCapacity(64)
    for byte in bytes {
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}
