import Datasets
import NeuraLUT

/// Test-set samples and what software LUT inference says the hardware must
/// produce for them; the testbench streams them through the design.
public struct TestVectors: Hashable, Codable, Sendable {
    public var count: Int
    /// `count × inputFeatures` values of the input port: codes, or with the
    /// input encoder raw values in its fixed-point format (bit patterns).
    public var inputs: [UInt16]
    /// `count × classes` expected `out_data` fields: each class's score,
    /// which with one partition per class is its output code (`ClassScores`).
    public var outputs: [UInt32]
    /// Expected argmax per sample.
    public var classes: [Int]
    /// True labels, when known (for the RTL test accuracy).
    public var labels: [Int]?

    /// Vectors for `count` samples of input codes, with expectations from
    /// software LUT inference of `network`.
    public init(network: LUTNetwork, codes: [UInt16], count: Int, labels: [Int]? = nil) throws {
        guard count >= 1 else { throw RTLError("test vectors need at least one sample") }
        if let labels, labels.count != count {
            throw RTLError("expected \(count) labels, got \(labels.count)")
        }
        self.count = count
        inputs = codes
        let outputCodes = try network.infer(codes: codes, count: count)
        outputs = network.spec.classScores(outputCodes: outputCodes)
        classes = network.spec.predictedClasses(outputCodes: outputCodes)
        self.labels = labels
    }

    /// Vectors of raw feature values (`count × inputFeatures`, row-major) for
    /// a design with the input encoder: the port carries them in the encoder's
    /// format, and the expectations come from the codes its comparators give.
    public init(network: LUTNetwork, encoder: InputEncoderRTL, raw: [Float], count: Int, labels: [Int]? = nil) throws {
        let encoded = encoder.encode(raw: raw, features: network.spec.inputFeatures)
        try self.init(network: network, codes: encoded.codes, count: count, labels: labels)
        inputs = encoded.values
    }

    /// Vectors for every row of `dataset`, encoded by the network's input encoder.
    public init(network: LUTNetwork, dataset: Dataset) throws {
        try self.init(
            network: network, codes: try network.encode(dataset: dataset), count: dataset.rows,
            labels: dataset.labels.map(Int.init))
    }

    /// Mean accuracy of the expected classes against the labels.
    public var softwareAccuracy: Double? {
        guard let labels else { return nil }
        return Double(zip(classes, labels).filter { $0 == $1 }.count) / Double(count)
    }
}

/// `$readmemh` text: one line per row, each row's `perRow` codes of `bits`
/// bits packed into one vector, code 0 in the least significant bits.
func memoryFile<Code: FixedWidthInteger & UnsignedInteger>(_ codes: [Code], perRow: Int, bits: Int) -> String {
    let width = perRow * bits
    let digits = hexDigitCount(bits: width)
    var text = TextBuffer(capacity: (codes.count / max(perRow, 1)) * (digits + 1))
    var nibbles = [UInt8](repeating: 0, count: digits)
    let rows = perRow == 0 ? 0 : codes.count / perRow
    for r in 0..<rows {
        for i in nibbles.indices { nibbles[i] = 0 }
        for c in 0..<perRow {
            let code = codes[r * perRow + c]
            for b in 0..<bits where (code >> b) & 1 != 0 {
                let bit = c * bits + b
                nibbles[bit / 4] |= 1 << UInt8(bit % 4)
            }
        }
        for i in nibbles.indices.reversed() { text.appendHex(UInt64(nibbles[i]), digits: 1) }
        text.append(byte: 0x0A)
    }
    return text.string
}
