import Foundation

/// What a unit produced, as stored under `ac/<key>` in a remote cache: output
/// name → content digest and size.
///
/// Encoded as the protocol's `ActionResult` protocol buffer (its
/// `output_files`, each a path and a digest), so servers that check action
/// results, like bazel-remote, accept it; every other field a server may add
/// (bazel-remote records the uploading worker) is skipped when reading.
struct RemoteActionResult: Equatable, Sendable {
    struct Output: Equatable, Sendable {
        var digest: Digest
        var size: Int
    }

    var outputs: [String: Output]

    init(outputs: [String: Output]) { self.outputs = outputs }

    /// Field numbers of the messages we read and write.
    private enum Field {
        static let actionResultOutputFiles: UInt64 = 2
        static let outputFilePath: UInt64 = 1
        static let outputFileDigest: UInt64 = 2
        static let digestHash: UInt64 = 1
        static let digestSize: UInt64 = 2
    }

    /// Deterministic bytes: outputs sorted by name.
    var encoded: Data {
        var result = ProtobufWriter()
        for (name, output) in outputs.sorted(by: { $0.key < $1.key }) {
            var digest = ProtobufWriter()
            digest.appendBytes(Field.digestHash, Data(output.digest.hex.utf8))
            digest.appendVarint(Field.digestSize, UInt64(output.size))
            var file = ProtobufWriter()
            file.appendBytes(Field.outputFilePath, Data(name.utf8))
            file.appendBytes(Field.outputFileDigest, digest.bytes)
            result.appendBytes(Field.actionResultOutputFiles, file.bytes)
        }
        return result.bytes
    }

    /// Nil when the bytes are not such a message (truncated, damaged, another
    /// tool's) or name an output twice.
    init?(decoding data: Data) {
        var outputs: [String: Output] = [:]
        let parsed: Bool = ProtobufReader.fields(of: data) { number, value in
            guard number == Field.actionResultOutputFiles else { return true }
            guard case .bytes(let file) = value, let (name, output) = Self.outputFile(file),
                outputs.updateValue(output, forKey: name) == nil
            else { return false }
            return true
        }
        guard parsed, !outputs.isEmpty else { return nil }
        self.outputs = outputs
    }

    private static func outputFile(_ data: Data) -> (String, Output)? {
        var name: String?
        var output: Output?
        let parsed = ProtobufReader.fields(of: data) { number, value in
            switch (number, value) {
            case (Field.outputFilePath, .bytes(let bytes)):
                name = String(bytes: bytes, encoding: .utf8)
                return name != nil
            case (Field.outputFileDigest, .bytes(let bytes)):
                output = digest(bytes)
                return output != nil
            default:
                return true
            }
        }
        guard parsed, let name, let output else { return nil }
        return (name, output)
    }

    private static func digest(_ data: Data) -> Output? {
        var hash: Digest?
        var size: UInt64 = 0
        let parsed = ProtobufReader.fields(of: data) { number, value in
            switch (number, value) {
            case (Field.digestHash, .bytes(let bytes)):
                hash = String(bytes: bytes, encoding: .utf8).flatMap(Digest.init(hex:))
                return hash != nil
            case (Field.digestSize, .varint(let value)):
                size = value
                return true
            default:
                return true
            }
        }
        guard parsed, let hash, size <= UInt64(Int.max) else { return nil }
        return Output(digest: hash, size: Int(size))
    }
}

/// The protocol buffer wire format, as much as action results need: varints
/// and length-delimited fields written; every wire type read or skipped.
private struct ProtobufWriter {
    private(set) var bytes = Data()

    mutating func appendVarint(_ field: UInt64, _ value: UInt64) {
        appendRawVarint(field << 3)
        appendRawVarint(value)
    }

    mutating func appendBytes(_ field: UInt64, _ value: Data) {
        appendRawVarint(field << 3 | 2)
        appendRawVarint(UInt64(value.count))
        bytes.append(value)
    }

    private mutating func appendRawVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

private enum ProtobufReader {
    enum Value {
        case varint(UInt64)
        case bytes(Data)
        case fixed
    }

    /// Calls `visit` for each field in order; false when the bytes are not a
    /// well-formed message or `visit` rejects a field.
    static func fields(of data: Data, _ visit: (UInt64, Value) -> Bool) -> Bool {
        let bytes = [UInt8](data)
        var position = 0
        while position < bytes.count {
            guard let tag = varint(bytes, &position), tag >> 3 != 0 else { return false }
            let value: Value
            switch tag & 7 {
            case 0:
                guard let number = varint(bytes, &position) else { return false }
                value = .varint(number)
            case 1, 5:
                let width = tag & 7 == 1 ? 8 : 4
                guard bytes.count - position >= width else { return false }
                position += width
                value = .fixed
            case 2:
                guard let length = varint(bytes, &position), length <= UInt64(bytes.count - position) else { return false }
                value = .bytes(Data(bytes[position..<position + Int(length)]))
                position += Int(length)
            default:
                return false  // groups (deprecated) and invalid wire types
            }
            guard visit(tag >> 3, value) else { return false }
        }
        return true
    }

    private static func varint(_ bytes: [UInt8], _ position: inout Int) -> UInt64? {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard position < bytes.count else { return nil }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte < 0x80 { return result }
        }
        return nil
    }
}
