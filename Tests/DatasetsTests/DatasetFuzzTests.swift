import Foundation
import Testing
@testable import Datasets

/// Thousands of truncations and byte flips of valid CSV, IDX, gzip and NPY
/// files (fixed seeds): each one loads or is rejected with a `DatasetError`,
/// never crashes, and memory stays bounded by the real data.
@Suite struct DatasetFuzzTests {
    /// Cases per format; `bench/run reliability.fuzz.cases` runs many more.
    static let casesPerFormat = 2_500

    @Test func mutatedCSVNeverCrashes() throws {
        let csv = Array("a,b,label\n1,2,0\n3.5,-4,1\n5e3,6,2\n0,0,1\n".utf8)
        let outcome = DatasetFuzzer.run(seed: 1, cases: Self.casesPerFormat, from: csv) { bytes in
            _ = try CSVLoader.parse(bytes, labelColumn: "label", file: "x.csv")
        }
        #expect(outcome.cases == Self.casesPerFormat)
        #expect(outcome.loaded > 0 && outcome.rejected > 0)
    }

    @Test func mutatedIDXAndGzippedIDXNeverCrash() throws {
        let images = DatasetFuzzer.idx(dimensions: [4, 3, 3], payload: (0..<36).map { UInt8($0 * 7) })
        let labels = DatasetFuzzer.idx(dimensions: [4], payload: [0, 1, 2, 1])
        for (seed, file) in [(UInt64(2), images), (UInt64(3), try DatasetFuzzer.gzip(images))] {
            let outcome = DatasetFuzzer.run(seed: seed, cases: Self.casesPerFormat, from: file) { bytes in
                try DatasetFuzzer.loadIDX(images: bytes, labels: labels)
            }
            #expect(outcome.rejected > 0)
        }
    }

    @Test func mutatedNPYNeverCrashes() throws {
        let features = DatasetFuzzer.npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }",
            [Float](arrayLiteral: 1, 2, 3, 4, 5, 6).withUnsafeBytes { Array($0) })
        let labels = DatasetFuzzer.npy(
            "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
            [Int64](arrayLiteral: 0, 1, 0).withUnsafeBytes { Array($0) })
        let outcome = DatasetFuzzer.run(seed: 4, cases: Self.casesPerFormat, from: features) { bytes in
            try DatasetFuzzer.loadNPY(features: bytes, labels: labels)
        }
        #expect(outcome.loaded > 0 && outcome.rejected > 0)
    }

    /// The probe's crash: shape × item size wraps around to the payload's size.
    @Test func npyShapeThatWrapsAroundIsRejected() throws {
        let rows = (1 << 62) + 1797
        let features = DatasetFuzzer.npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), 64), }",
            Array(repeating: 0, count: rows &* 64 &* 4))
        let labels = DatasetFuzzer.npy("{'descr': '<i8', 'fortran_order': False, 'shape': (\(rows),), }", [])
        #expect(rows &* 64 &* 4 == 1797 * 256, "the product wraps to a small payload")
        #expect {
            try NPYLoader.parse(features: features, named: "x.npy", labels: labels, named: "y.npy", classes: nil)
        } throws: { error in
            (error as? DatasetError)?.description.hasPrefix("x.npy: the header's shape (\(rows), 64) of '<f4' is larger than any file")
                == true
        }
    }

    @Test func idxDimensionsThatOverflowAreRejected() throws {
        let huge = 0xFFFF_FFFF
        for (dimensions, message) in [
            ([2, huge, huge, huge], "larger than any file"), ([0, huge, huge, huge], "expected at least one image"),
        ] {
            let images = DatasetFuzzer.idx(dimensions: dimensions, payload: [])
            #expect {
                try IDXLoader.parse(
                    images: images, named: "i", labels: DatasetFuzzer.idx(dimensions: [dimensions[0]], payload: []),
                    named: "l", classes: nil)
            } throws: { error in
                (error as? DatasetError)?.message.contains(message) == true
            }
        }
    }

    /// A truncated gzip file's last four bytes are not a size: memory follows the real output.
    @Test func truncatedGzipDoesNotReserveItsClaimedSize() throws {
        var gz = try DatasetFuzzer.gzip(Array(repeating: 7, count: 100_000))
        gz.removeLast(8)
        gz += [0x00, 0x00, 0x00, 0xF0]  // claims 4,026,531,840 bytes
        let before = DatasetFuzzer.peakResidentMegabytes()
        #expect(throws: DatasetError.self) { try Gzip.decompress(Data(gz), displayName: "t.gz") }
        #expect(DatasetFuzzer.peakResidentMegabytes() - before < 200)
    }

    @Test func specialFilesAreRefusedWithoutReading() throws {
        #expect {
            try FileBytes.read(URL(fileURLWithPath: "/dev/zero"), displayName: "/dev/zero")
        } throws: { error in
            (error as? DatasetError)?.description
                == "/dev/zero: expected a regular data file, found a device; name the file that holds the data"
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fifo = dir.url.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect {
            try FileBytes.read(fifo, displayName: "fifo")
        } throws: { error in
            (error as? DatasetError)?.message.contains("found a FIFO (named pipe)") == true
        }
    }
}
