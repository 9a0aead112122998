import Foundation
import Testing
@testable import Datasets

@Suite struct NPYLoaderTests {
    /// An NPY version 1 file with the given header dictionary and payload.
    static func npy(_ header: String, _ payload: [UInt8]) -> [UInt8] {
        var dict = Array(header.utf8)
        while (10 + dict.count + 1) % 64 != 0 { dict.append(0x20) }
        dict.append(0x0A)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.count & 255), UInt8(dict.count >> 8)] + dict + payload
    }

    static func bytes<T>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    func load(_ features: [UInt8], _ labels: [UInt8], classes: Int? = nil) throws -> Dataset {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        return try NPYLoader.load(
            features: dir.write("x.npy", features), labels: dir.write("y.npy", labels), classes: classes,
            displayName: \.lastPathComponent)
    }

    let labels = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", bytes([Int64(1), 0]))

    @Test func float32Float64AndBytes() throws {
        let f4 = Self.npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Self.bytes([Float](arrayLiteral: 1, 2, 3, 4, 5, 6.5)))
        let f8 = Self.npy(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", Self.bytes([Double](arrayLiteral: 1, 2, 3, 4, 5, 6.5)))
        let u1 = Self.npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1, 3), }", [1, 2, 3, 4, 5, 255])
        for file in [f4, f8] {
            let data = try load(file, labels)
            #expect(data.rows == 2 && data.columns == 3 && data.classes == 2)
            #expect(data.features == [1, 2, 3, 4, 5, 6.5])
            #expect(data.labels == [1, 0])
        }
        #expect(try load(u1, labels).features == [1, 2, 3, 4, 5, 255])
    }

    @Test func bigEndianAndUint8Labels() throws {
        let be = Self.npy(
            "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 1), }",
            Self.bytes([Float(1.5).bitPattern.bigEndian, Float(-2).bitPattern.bigEndian]))
        let small = Self.npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", [4, 2])
        let data = try load(be, small)
        #expect(data.features == [1.5, -2])
        #expect(data.classes == 5)
    }

    @Test(
        arguments: [
            (Array("not numpy at all".utf8), "x.npy: expected an NPY file (magic \\x93NUMPY), found something else"),
            (
                npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1), }", bytes([Float](arrayLiteral: 1, 2))),
                "x.npy: expected C order, found fortran_order: True (save with np.ascontiguousarray)"
            ),
            (
                npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2, 1), }", Array(repeating: 0, count: 16)),
                "x.npy: expected dtype float32, float64 or an integer type, found '<c8'"
            ),
            (
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", bytes([Float](arrayLiteral: 1, 2, 3))),
                "x.npy: the file is truncated: shape (2, 2) of '<f4' needs 16 data bytes, found 12"
            ),
            (
                npy("{'fortran_order': False, 'shape': (2, 2), }", []),
                "x.npy: bad NPY header: expected a 'descr' string in '{'fortran_order': False, 'shape': (2, 2), }'"
            ),
            (
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }", bytes([Float](arrayLiteral: 1, .nan))),
                "x.npy: row 1, feature 0: expected a finite number, found nan"
            ),
            (
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }", bytes([Float](arrayLiteral: 1, 2, 3))),
                "y.npy: expected 3 labels (one per row of x.npy), found 2"
            ),
        ] as [([UInt8], String)])
    func badFeatureFiles(file: [UInt8], message: String) {
        #expect { try load(file, labels) } throws: { "\($0)" == message }
    }

    @Test func labelOutOfRange() {
        let x = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }", Self.bytes([Float](arrayLiteral: 1, 2)))
        #expect { try load(x, labels, classes: 1) } throws: { "\($0)" == "y.npy: label #0: expected a class label in 0…0, found 1" }
    }
}
