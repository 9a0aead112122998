import Datasets
import Foundation

/// The byte format of `data/prepare`'s `data` output, which every step that
/// reads the data takes as a declared input: a magic line, then per part
/// (train, validation, test) rows, columns and classes (UInt64 LE), the
/// features (Float32 LE) and labels (Int32 LE), then the normalisation's
/// scale and offset (Float32 LE). Feature names are a separate output, so
/// renaming a column reruns only the steps that publish names.
enum PreparedDataCodec {
    static let magic = Data("lutbuild prepared data 1\n".utf8)

    static func encode(_ data: PreparedData) -> Data {
        var out = magic
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        func append(floats: [Float]) {
            append(UInt64(floats.count))
            appendLittleEndian(floats, to: &out)
        }
        for part in [data.train, data.validation, data.test] {
            append(UInt64(part.rows))
            append(UInt64(part.columns))
            append(UInt64(part.classes))
            append(floats: part.features)
            append(UInt64(part.labels.count))
            appendLittleEndian(part.labels, to: &out)
        }
        append(floats: data.normalization.scale)
        append(floats: data.normalization.offset)
        return out
    }

    /// The data, with `featureNames` on every part.
    static func decode(_ data: Data, featureNames: [String] = []) throws -> PreparedData {
        let bytes = [UInt8](data)
        var offset = magic.count
        guard bytes.count >= offset, Data(bytes[0..<offset]) == magic else { throw corrupt() }
        func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard offset + size <= bytes.count else { throw corrupt() }
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes[offset..<(offset + size)]) }
            offset += size
            return T(littleEndian: value)
        }
        func count() throws -> Int {
            let value = try read(UInt64.self)
            guard value <= UInt64(bytes.count - offset) else { throw corrupt() }
            return Int(value)
        }
        func floats() throws -> [Float] {
            let n = try count()
            guard offset + 4 * n <= bytes.count else { throw corrupt() }
            let values: [UInt32] = readLittleEndian(bytes, at: offset, count: n)
            offset += 4 * n
            return values.map(Float.init(bitPattern:))
        }
        var parts: [Dataset] = []
        for _ in 0..<3 {
            let rows = try count(), columns = try count(), classes = try count()
            let features = try floats()
            let labelCount = try count()
            guard offset + 4 * labelCount <= bytes.count, features.count == rows * columns, labelCount == rows else { throw corrupt() }
            let labels: [Int32] = readLittleEndian(bytes, at: offset, count: labelCount)
            offset += 4 * labelCount
            parts.append(
                Dataset(
                    features: features, labels: labels, rows: rows, columns: columns, classes: classes,
                    featureNames: featureNames))
        }
        let normalization = FeatureNormalization(scale: try floats(), offset: try floats())
        guard offset == bytes.count else { throw corrupt() }
        return PreparedData(train: parts[0], validation: parts[1], test: parts[2], normalization: normalization)
    }

    /// Appends `values` as little-endian bytes (a block copy on little-endian machines).
    private static func appendLittleEndian<T: FixedWidthInteger>(_ values: [T], to out: inout Data) {
        #if _endian(little)
        values.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
        for value in values { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        #endif
    }

    private static func appendLittleEndian(_ values: [Float], to out: inout Data) {
        #if _endian(little)
        values.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
        appendLittleEndian(values.map(\.bitPattern), to: &out)
        #endif
    }

    /// `count` little-endian values starting at byte `offset` (bounds checked by the caller).
    private static func readLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count * MemoryLayout<T>.size)]))
            }
            for i in 0..<count { buffer[i] = T(littleEndian: buffer[i]) }
            initialized = count
        }
    }

    private static func corrupt() -> PipelineError {
        PipelineError("stored prepared data cannot be read; run `lutbuild clean` and build again")
    }
}
