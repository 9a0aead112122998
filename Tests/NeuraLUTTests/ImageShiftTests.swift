import Datasets
import Foundation
import Testing
@testable import NeuraLUT

@Suite struct ImageShiftTests {
    /// A 3 × 2 image, pixel (x, y) = 10·y + x, shifted one right and one down.
    @Test func shiftsPixelsAndRepeatsTheEdge() throws {
        let shift = try #require(ImageShift(features: 6, image: ImageGeometry(width: 3), maximum: 1))
        let image: [Float] = [0, 1, 2, 10, 11, 12]
        var out = [Float](repeating: -1, count: 12)
        image.withUnsafeBufferPointer { row in
            out.withUnsafeMutableBufferPointer { shift.copy(row.baseAddress!, shift: (dx: 1, dy: 1), to: $0.baseAddress!, stride: 2) }
        }
        // Output pixel (x, y) is input (x - 1, y - 1), clamped: row 0 repeats row 0, column 0 repeats column 0.
        #expect(stride(from: 0, to: 12, by: 2).map { out[$0] } == [0, 0, 1, 0, 0, 1])
        #expect(stride(from: 1, to: 12, by: 2).allSatisfy { out[$0] == -1 }, "only every stride-th slot is written")
        var none = [Float](repeating: -1, count: 6)
        image.withUnsafeBufferPointer { row in
            none.withUnsafeMutableBufferPointer { shift.copy(row.baseAddress!, shift: (dx: 0, dy: 0), to: $0.baseAddress!, stride: 1) }
        }
        #expect(none == image)
    }

    /// A 2 × 2 image of 2 channels, feature = 10·pixel + channel: a shift moves both channels of a
    /// pixel together and keeps them in order.
    @Test func shiftsEveryChannelWithItsPixel() throws {
        let shift = try #require(ImageShift(features: 8, image: ImageGeometry(width: 2, channels: 2), maximum: 1))
        let image: [Float] = [0, 1, 10, 11, 20, 21, 30, 31]
        var out = [Float](repeating: -1, count: 8)
        image.withUnsafeBufferPointer { row in
            out.withUnsafeMutableBufferPointer { shift.copy(row.baseAddress!, shift: (dx: 1, dy: 0), to: $0.baseAddress!, stride: 1) }
        }
        // Output pixel (x, y) is input (x - 1, y), clamped: column 0 repeats column 0.
        #expect(out == [0, 1, 0, 1, 20, 21, 20, 21])
        #expect(ImageShift(features: 6, image: ImageGeometry(width: 2, channels: 2), maximum: 1) == nil)
    }

    @Test func drawsEveryShiftInRange() {
        let shift = ImageShift(features: 4, image: ImageGeometry(width: 2), maximum: 2)!
        var random = ImageShift.random(seed: 1, step: 0)
        let drawn = Set((0..<500).map { _ in shift.draw(&random) }.map { "\($0.dx),\($0.dy)" })
        #expect(drawn.count == 25)
        #expect(ImageShift(features: 4, image: ImageGeometry(width: 2), maximum: 0) == nil)
        #expect(ImageShift(features: 5, image: ImageGeometry(width: 2), maximum: 1) == nil)
    }

    /// Blobs' 6 features as 3 × 2 images.
    static func config(shift: Int, threads: Int, epochs: Int = 2) -> TrainingConfig {
        TrainingConfig(epochs: epochs, batchSize: 32, imageWidth: 3, augmentShift: shift, threads: threads)
    }

    @Test func augmentedTrainingIsDeterministicAndDiffers() throws {
        let data = Fixtures.blobs()
        let one = try Trainer(spec: Fixtures.blobsSpec(), config: Self.config(shift: 1, threads: 1), data: data).run()
        let two = try Trainer(spec: Fixtures.blobsSpec(), config: Self.config(shift: 1, threads: 2), data: data).run()
        #expect(one.network == two.network)
        let plain = try Trainer(spec: Fixtures.blobsSpec(), config: Self.config(shift: 0, threads: 1), data: data).run()
        #expect(plain.network != one.network, "the shifts change what is trained")
    }

    @Test func resumedAugmentedRunEqualsUninterruptedRun() throws {
        let data = Fixtures.blobs()
        let config = Self.config(shift: 1, threads: 2, epochs: 3)
        let straight = try Trainer(spec: Fixtures.blobsSpec(), config: config, data: data).run()
        let first = try Trainer(spec: Fixtures.blobsSpec(), config: config, data: data)
        let calls = Counter()
        _ = try first.run(shouldStop: { calls.increment() > 11 })
        let resumed = try Trainer(resumingFrom: try first.checkpoint(), data: data).run()
        #expect(resumed.network == straight.network)
    }

    @Test func needsImages() {
        #expect(throws: SpecError.self) { try TrainingConfig(augmentShift: 1).validate() }
        #expect(throws: SpecError.self) {
            try Trainer(
                spec: Fixtures.blobsSpec(), config: TrainingConfig(imageWidth: 4, augmentShift: 1), data: Fixtures.blobs())
        }
    }
}
