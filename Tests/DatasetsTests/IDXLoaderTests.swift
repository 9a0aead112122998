import Foundation
import TestSupport
import Testing
@testable import Datasets

@Suite struct IDXLoaderTests {
    static func idx(type: UInt8 = 8, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
        for d in dimensions { bytes += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return bytes + payload
    }

    @Test func loadsImagesAndLabels() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let images = try dir.write("i", Self.idx(dimensions: [2, 2, 3], payload: Array(0..<12)))
        let labels = try dir.write("l", Self.idx(dimensions: [2], payload: [3, 1]))
        let data = try IDXLoader.load(images: images, labels: labels)
        #expect(data.rows == 2 && data.columns == 6 && data.classes == 4)
        #expect(data.features == (0..<12).map(Float.init))
        #expect(data.labels == [3, 1])
    }

    @Test func truncatedFilesAreReported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let images = try dir.write("i", Self.idx(dimensions: [2, 2, 3], payload: Array(0..<10)))
        let labels = try dir.write("l", Self.idx(dimensions: [2], payload: [3, 1]))
        #expect {
            try IDXLoader.load(images: images, labels: labels, displayName: \.lastPathComponent)
        } throws: { error in
            "\(error)" == "i: the file is truncated: shape 2×2×3 needs 12 data bytes, found 10"
        }
        let header = try dir.write("h", [0, 0, 8, 3, 0, 0])
        #expect { try IDXLoader.load(images: header, labels: labels, displayName: \.lastPathComponent) } throws: {
            "\($0)" == "h: the IDX header is truncated (6 bytes)"
        }
    }

    @Test func wrongMagicTypeAndCounts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let images = try dir.write("i", Self.idx(dimensions: [2, 1], payload: [1, 2]))
        let floats = try dir.write("f", Self.idx(type: 0x0D, dimensions: [2], payload: Array(repeating: 0, count: 8)))
        let three = try dir.write("l", Self.idx(dimensions: [3], payload: [0, 1, 2]))
        let text = try dir.write("t", Array("hello world".utf8))
        let short: (URL) -> String = \.lastPathComponent
        #expect { try IDXLoader.load(images: images, labels: floats, displayName: short) } throws: {
            "\($0)" == "f: expected IDX element type 0x08 (unsigned byte), found 0x0d"
        }
        #expect { try IDXLoader.load(images: images, labels: three, displayName: short) } throws: {
            "\($0)" == "l: expected 2 labels (one per image in i), found 3"
        }
        #expect { try IDXLoader.load(images: text, labels: three, displayName: short) } throws: {
            "\($0)" == "t: expected an IDX file (magic 0x0000 08xx), found bytes 68656c6c"
        }
        #expect { try IDXLoader.load(images: images, labels: three, classes: 2, displayName: short) } throws: { _ in true }
    }

    @Test func gzipRoundTripAndCorruption() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let raw = Self.idx(dimensions: [3], payload: [1, 2, 0])
        let plain = try dir.write("l", raw)
        try #require(try ProcessRunner.run(tool: "gzip", ["-k", "-n", plain.path]).status == 0)
        let gz = dir.url.appendingPathComponent("l.gz")
        #expect(try FileBytes.read(gz, displayName: "l.gz") == raw)
        var broken = try [UInt8](Data(contentsOf: gz))
        broken.removeLast(12)
        let cut = try dir.write("cut.gz", broken)
        #expect { try FileBytes.read(cut, displayName: "cut.gz") } throws: {
            "\($0)" == "cut.gz: corrupt gzip data (the file is truncated)"
        }
    }
}
