import Foundation

/// NumPy `.npy` files (format versions 1–3, C order): a features array
/// (`N × …`, float32, float64 or uint8) and a labels array (`N` integers).
public enum NPYLoader {
    /// Loads the features file and its labels file as one data set.
    ///
    /// - Parameters:
    ///   - classes: the number of classes when known; when nil, the largest label + 1.
    ///   - labelOffset: subtracted from every label (1 for labels counted from 1).
    ///   - displayName: how errors name a file (e.g. project-relative).
    public static func load(
        features: URL, labels: URL, classes: Int? = nil, labelOffset: Int = 0,
        displayName: (URL) -> String = { $0.path }
    ) throws -> Dataset {
        let featureName = displayName(features), labelName = displayName(labels)
        return try parse(
            features: FileBytes.read(features, displayName: featureName), named: featureName,
            labels: FileBytes.read(labels, displayName: labelName), named: labelName, classes: classes, labelOffset: labelOffset)
    }

    /// Parses a features file's and a labels file's content (raw or gzip);
    /// `featureName` and `labelName` name the sources in errors.
    public static func parse(
        features: Data, named featureName: String, labels: Data, named labelName: String,
        classes: Int? = nil, labelOffset: Int = 0
    ) throws -> Dataset {
        try parse(
            features: FileBytes.decode(features, displayName: featureName), named: featureName,
            labels: FileBytes.decode(labels, displayName: labelName), named: labelName, classes: classes,
            labelOffset: labelOffset)
    }

    /// Parses the bytes of a features file and a labels file (already gunzipped).
    static func parse(
        features: [UInt8], named featureName: String, labels: [UInt8], named labelName: String,
        classes: Int?, labelOffset: Int = 0
    ) throws -> Dataset {
        let x = try NPYArray(bytes: features, file: featureName)
        let y = try NPYArray(bytes: labels, file: labelName)
        guard x.shape.count >= 1 else {
            throw DatasetError(file: featureName, message: "expected an array of rows (at least 1 dimension), found a scalar")
        }
        guard x.kind != .bool else {
            throw DatasetError(file: featureName, message: "expected numeric features, found dtype \(DataEcho.quoted(x.descr))")
        }
        guard y.shape.count == 1 || (y.shape.count == 2 && y.shape[1] == 1) else {
            throw DatasetError(file: labelName, message: "expected a 1-dimensional labels array, found shape \(y.shapeText)")
        }
        let rows = x.shape[0]
        guard rows > 0 else { throw DatasetError(file: featureName, message: "expected at least one row, found shape \(x.shapeText)") }
        guard y.shape[0] == rows else {
            throw DatasetError(file: labelName, message: "expected \(rows) labels (one per row of \(featureName)), found \(y.shape[0])")
        }
        let columns = x.count / rows  // the header's product, checked against the file's size
        let values = x.floats()
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DatasetError(
                file: featureName,
                message: "row \(bad / max(columns, 1)), feature \(bad % max(columns, 1)): expected a finite number, found \(values[bad])")
        }
        var labelValues: [Int32] = []
        labelValues.reserveCapacity(rows)
        for (i, v) in y.doubles().enumerated() {
            guard v == v.rounded(), abs(v - Double(labelOffset)) < Double(Int32.max) else {
                throw DatasetError(file: labelName, message: "label #\(i): expected an integer class label, found \(v)")
            }
            labelValues.append(Int32(v - Double(labelOffset)))
        }
        let classCount = try LabelCheck.classes(of: labelValues, declared: classes, offset: labelOffset) { index, message in
            DatasetError(file: labelName, message: "label #\(index): \(message)")
        }
        return Dataset(
            features: values, labels: labelValues, rows: rows, columns: columns,
            classes: classCount, featureNames: (0..<columns).map { "f\($0)" })
    }
}

/// One parsed `.npy` array.
struct NPYArray {
    enum Kind { case float, signed, unsigned, bool }

    var descr: String
    var kind: Kind
    var itemSize: Int
    var bigEndian: Bool
    var shape: [Int]
    var payload: ArraySlice<UInt8>
    /// Elements in the array: the product of `shape`, known not to overflow.
    var count: Int

    var shapeText: String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }

    init(bytes: [UInt8], file: String) throws {
        func failure(_ message: String) -> DatasetError { DatasetError(file: file, message: message) }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw failure("expected an NPY file (magic \\x93NUMPY), found something else")
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        // UInt32 header length fits in Int on 64-bit platforms; bytes.count bounds it below.
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw failure("the NPY header is truncated") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw failure("expected NPY format version 1, 2 or 3, found \(major)")
        }
        guard bytes.count >= headerStart + headerLength else { throw failure("the NPY header is truncated") }
        let header = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        let dictionary = try NPYHeader(header, file: file)
        descr = dictionary.descr
        guard !dictionary.fortranOrder else {
            throw failure("expected C order, found fortran_order: True (save with np.ascontiguousarray)")
        }
        shape = dictionary.shape
        guard let type = NPYArray.parseDescr(descr) else {
            throw failure("expected dtype float32, float64 or an integer type, found \(DataEcho.quoted(descr))")
        }
        (kind, itemSize, bigEndian) = type
        let available = bytes.count - headerStart - headerLength
        let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        // A crafted shape can make the size wrap around to the file's length: multiply checked.
        guard let count = HeaderSize.product(shape), let expected = HeaderSize.product([count, itemSize]) else {
            throw failure("the header's shape \(shapeText) of \(DataEcho.quoted(descr)) is larger than any file; the file is corrupt")
        }
        guard available == expected else {
            let problem = available < expected ? "truncated" : "longer than its header says"
            throw failure(
                "the file is \(problem): shape \(shapeText) of \(DataEcho.quoted(descr)) needs \(expected) data bytes, found \(available)")
        }
        self.count = count
        payload = bytes[(headerStart + headerLength)...]
    }

    static func parseDescr(_ descr: String) -> (Kind, Int, Bool)? {
        guard descr.count >= 3, let order = descr.first, "<>|=".contains(order),
            let size = Int(descr.dropFirst(2))
        else { return nil }
        let kinds: [Character: Kind] = ["f": .float, "i": .signed, "u": .unsigned, "b": .bool]
        guard let kind = kinds[descr[descr.index(after: descr.startIndex)]] else { return nil }
        let valid: Set<Int> = kind == .float ? [4, 8] : [1, 2, 4, 8]
        guard valid.contains(size) else { return nil }
        return (kind, size, order == ">")
    }

    /// Element `i` as a Double.
    @inline(__always)
    func element(_ base: UnsafeRawBufferPointer, _ i: Int) -> Double {
        var raw: UInt64 = 0
        let o = i * itemSize
        if bigEndian {
            for b in 0..<itemSize { raw = raw << 8 | UInt64(base[o + b]) }
        } else {
            for b in (0..<itemSize).reversed() { raw = raw << 8 | UInt64(base[o + b]) }
        }
        switch (kind, itemSize) {
        case (.float, 4): return Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
        case (.float, _): return Double(bitPattern: raw)
        case (.signed, _):
            let shift = UInt64(64 - 8 * itemSize)
            return Double(Int64(bitPattern: raw << shift) >> Int64(shift))
        default: return Double(raw)
        }
    }

    func doubles() -> [Double] {
        payload.withUnsafeBytes { base in (0..<base.count / itemSize).map { element(base, $0) } }
    }

    /// All elements as Float, with fast paths for the common little-endian types.
    func floats() -> [Float] {
        payload.withUnsafeBytes { base in
            let count = base.count / itemSize
            switch (kind, itemSize, bigEndian) {
            case (.float, 4, false):
                return [Float](unsafeUninitializedCapacity: count) { out, n in
                    for i in 0..<count { out[i] = Float(bitPattern: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
                    n = count
                }
            case (.unsigned, 1, _):
                return base.map(Float.init)
            default:
                return (0..<count).map { Float(element(base, $0)) }
            }
        }
    }
}

/// The Python-literal dictionary of an NPY header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 784), }`.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    init(_ text: String, file: String) throws {
        func failure(_ message: String) -> DatasetError {
            // A header is at most a few lines: room for all of a sane one.
            DatasetError(
                file: file,
                message:
                    "bad NPY header: \(message) in \(DataEcho.quoted(text.trimmingCharacters(in: .whitespacesAndNewlines), limit: 160))")
        }
        func value(of key: String) -> Substring? {
            guard let keyRange = text.range(of: "'\(key)'") ?? text.range(of: "\"\(key)\"") else { return nil }
            let rest = text[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
            return rest
        }
        guard let descrText = value(of: "descr"), let quote = descrText.first, quote == "'" || quote == "\"",
            let close = descrText.dropFirst().firstIndex(of: quote)
        else {
            throw failure("expected a 'descr' string")
        }
        descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        guard let orderText = value(of: "fortran_order"), orderText.hasPrefix("True") || orderText.hasPrefix("False") else {
            throw failure("expected 'fortran_order' True or False")
        }
        fortranOrder = orderText.hasPrefix("True")
        guard let shapeText = value(of: "shape"), shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else {
            throw failure("expected a 'shape' tuple")
        }
        let parts = shapeText[shapeText.index(after: shapeText.startIndex)..<end]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var dims: [Int] = []
        for part in parts {
            guard let d = Int(part), d >= 0 else { throw failure("expected non-negative integers in 'shape'") }
            dims.append(d)
        }
        shape = dims
    }
}
