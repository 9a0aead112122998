import BuildGraph
import DeterministicJSON
import Foundation
import NeuraLUT

/// Byte formats of the objects the pipeline's steps pass to each other.
enum StepCodecs {
    /// Deterministic JSON (sorted keys) of a Codable value: parameters and small objects.
    static func json<T: Encodable>(_ value: T) throws -> Data {
        try DeterministicJSON.compact(value)
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw PipelineError("stored \(what) cannot be read (\(error)); run `lutbuild clean` and build again")
        }
    }

    /// Canonical parameter bytes of a Codable value.
    static func parameters<T: Encodable>(_ name: String, _ value: T) throws -> Data {
        var encoder = CanonicalEncoder()
        encoder.append(name, try json(value))
        return encoder.bytes
    }

    /// A truth table: address bits, output bits (UInt32 LE), then one UInt16 LE code per address.
    static func encode(_ table: TruthTable) -> Data {
        var data = Data(capacity: 8 + table.codes.count * 2)
        for value in [UInt32(table.addressBits), UInt32(table.outputBits)] {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        table.codes.withUnsafeBufferPointer { codes in
            for code in codes { withUnsafeBytes(of: code.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    static func decodeTable(_ data: Data) throws -> TruthTable {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw PipelineError("stored truth table is truncated") }
        func uint32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        let addressBits = uint32(0), outputBits = uint32(4)
        guard addressBits < 31, bytes.count == 8 + (1 << addressBits) * 2 else {
            throw PipelineError("stored truth table has \(bytes.count) bytes, expected \(8 + (1 << min(addressBits, 30)) * 2)")
        }
        let codes = (0..<(1 << addressBits)).map { UInt16(bytes[8 + 2 * $0]) | UInt16(bytes[9 + 2 * $0]) << 8 }
        return TruthTable(addressBits: addressBits, outputBits: outputBits, codes: codes)
    }
}
