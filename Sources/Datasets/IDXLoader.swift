import Foundation

/// MNIST's IDX format: a big-endian header (magic `0x0000_08TT` with element
/// type TT and the number of dimensions, then one UInt32 per dimension), then
/// the raw data. Raw or gzip-compressed files.
public enum IDXLoader {
    /// Loads an images file (`N × d1 × d2 …`, unsigned bytes) and its labels
    /// file (`N`, unsigned bytes) as one data set with raw pixel values 0…255.
    ///
    /// - Parameters:
    ///   - classes: the number of classes when known; labels must lie in
    ///     `0..<classes`. When nil, it is the largest label + 1.
    ///   - labelOffset: subtracted from every label (1 for labels counted from 1).
    ///   - displayName: how errors name a file (e.g. project-relative).
    public static func load(
        images: URL, labels: URL, classes: Int? = nil, labelOffset: Int = 0,
        displayName: (URL) -> String = { $0.path }
    ) throws -> Dataset {
        let imageName = displayName(images), labelName = displayName(labels)
        return try parse(
            images: FileBytes.read(images, displayName: imageName), named: imageName,
            labels: FileBytes.read(labels, displayName: labelName), named: labelName, classes: classes, labelOffset: labelOffset)
    }

    /// Parses an images file's and a labels file's content (raw or gzip);
    /// `imageName` and `labelName` name the sources in errors.
    public static func parse(
        images: Data, named imageName: String, labels: Data, named labelName: String,
        classes: Int? = nil, labelOffset: Int = 0
    ) throws -> Dataset {
        try parse(
            images: FileBytes.decode(images, displayName: imageName), named: imageName,
            labels: FileBytes.decode(labels, displayName: labelName), named: labelName, classes: classes,
            labelOffset: labelOffset)
    }

    /// Parses the bytes of an images file and a labels file (already gunzipped).
    static func parse(
        images: [UInt8], named imageName: String, labels: [UInt8], named labelName: String,
        classes: Int?, labelOffset: Int = 0
    ) throws -> Dataset {
        let imageFile = try IDXFile(bytes: images, displayName: imageName)
        let labelFile = try IDXFile(bytes: labels, displayName: labelName)
        guard imageFile.dimensions.count >= 2 else {
            throw DatasetError(
                file: imageName, message: "expected an images file with at least 2 dimensions, found \(imageFile.dimensions.count)")
        }
        guard labelFile.dimensions.count == 1 else {
            throw DatasetError(file: labelName, message: "expected a labels file with 1 dimension, found \(labelFile.dimensions.count)")
        }
        let rows = imageFile.dimensions[0]
        guard rows > 0 else { throw DatasetError(file: imageName, message: "expected at least one image, found 0") }
        guard labelFile.dimensions[0] == rows else {
            throw DatasetError(
                file: labelName, message: "expected \(rows) labels (one per image in \(imageName)), found \(labelFile.dimensions[0])")
        }
        let columns = imageFile.payload.count / rows  // the header's product, checked against the file's size
        let features = imageFile.payload.withUnsafeBufferPointer { bytes in
            [Float](unsafeUninitializedCapacity: bytes.count) { out, initialized in
                for i in 0..<bytes.count { out[i] = Float(bytes[i]) }
                initialized = bytes.count
            }
        }
        let labelValues = labelFile.payload.map { Int32($0) - Int32(labelOffset) }
        let classCount = try LabelCheck.classes(of: labelValues, declared: classes, offset: labelOffset) { index, message in
            DatasetError(file: labelName, message: "label #\(index): \(message)")
        }
        return Dataset(
            features: features, labels: labelValues, rows: rows, columns: columns,
            classes: classCount, featureNames: (0..<columns).map { "pixel\($0)" })
    }
}

/// One parsed IDX file of unsigned bytes.
struct IDXFile {
    var dimensions: [Int]
    var payload: ArraySlice<UInt8>

    init(bytes: [UInt8], displayName: String) throws {
        func failure(_ message: String) -> DatasetError { DatasetError(file: displayName, message: message) }
        guard bytes.count >= 4 else { throw failure("expected an IDX file, but it has only \(bytes.count) bytes") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw failure(
                "expected an IDX file (magic 0x0000 08xx), found bytes \(bytes.prefix(4).map { String(format: "%02x", $0) }.joined())")
        }
        guard bytes[2] == 0x08 else {
            throw failure("expected IDX element type 0x08 (unsigned byte), found 0x\(String(format: "%02x", bytes[2]))")
        }
        let count = Int(bytes[3])
        guard count >= 1 else { throw failure("expected at least 1 dimension in the IDX header, found 0") }
        let headerSize = 4 + 4 * count
        guard bytes.count >= headerSize else { throw failure("the IDX header is truncated (\(bytes.count) bytes)") }
        dimensions = (0..<count).map { d in
            let o = 4 + 4 * d
            return Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
        }
        let available = bytes.count - headerSize
        let shape = dimensions.map(String.init).joined(separator: "×")
        // Up to 255 dimensions of up to 2^32 - 1 each: multiply checked.
        guard let expected = HeaderSize.product(dimensions) else {
            throw failure("the header's shape \(shape) is larger than any file; the file is corrupt")
        }
        guard available == expected else {
            let problem = available < expected ? "truncated" : "longer than its header says"
            throw failure("the file is \(problem): shape \(shape) needs \(expected) data bytes, found \(available)")
        }
        payload = bytes[headerSize...]
    }
}
