import Foundation

/// Canonical bytes for step keys and step parameters: every value is a type
/// tag plus a length prefix, so that no two different sequences of values
/// encode to the same bytes ("ab"+"c" ≠ "a"+"bc"), on every machine.
public struct CanonicalEncoder: Sendable {
    private var storage: [UInt8] = []

    /// The encoded bytes.
    public var bytes: Data { Data(storage) }

    /// SHA-256 of the encoded bytes (without copying them into `Data`).
    public var digest: Digest { Digest.of(storage) }

    public init() {}

    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { appendTagged(1, $0) }
    }
    public mutating func append(_ value: Data) { value.withUnsafeBytes { appendTagged(2, $0.bindMemory(to: UInt8.self)) } }
    public mutating func append(_ value: Int) { appendScalar(3, UInt64(bitPattern: Int64(value))) }
    public mutating func append(_ value: Double) { appendScalar(4, value.bitPattern) }
    public mutating func append(_ value: Bool) { appendScalar(5, UInt8(value ? 1 : 0)) }

    /// A named field: the name, then the value (the common case for parameters).
    public mutating func append(_ name: String, _ value: String) {
        append(name)
        append(value)
    }
    public mutating func append(_ name: String, _ value: Int) {
        append(name)
        append(value)
    }
    public mutating func append(_ name: String, _ value: Double) {
        append(name)
        append(value)
    }
    public mutating func append(_ name: String, _ value: Bool) {
        append(name)
        append(value)
    }
    public mutating func append(_ name: String, _ value: Data) {
        append(name)
        append(value)
    }

    private mutating func appendTagged(_ tag: UInt8, _ payload: UnsafeBufferPointer<UInt8>) {
        storage.append(tag)
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { storage.append(contentsOf: $0) }
        storage.append(contentsOf: payload)
    }

    private mutating func appendScalar<T: FixedWidthInteger>(_ tag: UInt8, _ value: T) {
        storage.append(tag)
        withUnsafeBytes(of: UInt64(MemoryLayout<T>.size).littleEndian) { storage.append(contentsOf: $0) }
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }
}
