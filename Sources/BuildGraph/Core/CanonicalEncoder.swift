import Foundation

/// Canonical bytes for step keys and step parameters: every value is a type
/// tag plus a length prefix, so that no two different sequences of values
/// encode to the same bytes ("ab"+"c" ≠ "a"+"bc"), on every machine.
public struct CanonicalEncoder: Sendable {
    public private(set) var bytes = Data()

    public init() {}

    public mutating func append(_ value: String) { appendTagged(1, Data(value.utf8)) }
    public mutating func append(_ value: Data) { appendTagged(2, value) }
    public mutating func append(_ value: Int) { appendTagged(3, littleEndian(UInt64(bitPattern: Int64(value)))) }
    public mutating func append(_ value: Double) { appendTagged(4, littleEndian(value.bitPattern)) }
    public mutating func append(_ value: Bool) { appendTagged(5, Data([value ? 1 : 0])) }

    /// A named field: the name, then the value (the common case for parameters).
    public mutating func append(_ name: String, _ value: String) { append(name); append(value) }
    public mutating func append(_ name: String, _ value: Int) { append(name); append(value) }
    public mutating func append(_ name: String, _ value: Double) { append(name); append(value) }
    public mutating func append(_ name: String, _ value: Bool) { append(name); append(value) }
    public mutating func append(_ name: String, _ value: Data) { append(name); append(value) }

    private mutating func appendTagged(_ tag: UInt8, _ payload: Data) {
        bytes.append(tag)
        bytes.append(littleEndian(UInt64(payload.count)))
        bytes.append(payload)
    }

    private func littleEndian(_ value: UInt64) -> Data {
        withUnsafeBytes(of: value.littleEndian) { Data($0) }
    }
}
