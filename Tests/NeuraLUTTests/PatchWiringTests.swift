import Testing
@testable import NeuraLUT

/// `Connectivity.patches` (`[model] image_width`): layer 0 reads nearby pixels,
/// a tree layer above it joins nearby patches, the rest is random wiring.
@Suite struct PatchWiringTests {
    let width = 12
    let layers = [
        LayerWiring(partitions: 96, fanIn: 4), LayerWiring(partitions: 32, fanIn: 3),
        LayerWiring(partitions: 20, fanIn: 4), LayerWiring(partitions: 4, fanIn: 5),
    ]

    func spread(_ features: [Int]) -> Int {
        let rows = features.map { $0 / width }, columns = features.map { $0 % width }
        return max(rows.max()! - rows.min()!, columns.max()! - columns.min()!)
    }

    @Test func layerZeroReadsPatchesSpreadOverTheImage() {
        let features = Array(0..<(width * width))
        let wiring = Connectivity.patches(seed: 3, layers: layers, inputFeatures: features, image: ImageGeometry(width: width))
        var reads = [Int](repeating: 0, count: features.count), compact = 0
        for inputs in wiring.inputs[0] {
            #expect(inputs.count == 4 && Set(inputs).count == 4 && inputs == inputs.sorted())
            // A centre and 3 of its 7 nearest pixels: within 2 pixels of the centre (at an edge), mostly 1.
            #expect(spread(inputs) <= 4, "patch \(inputs.map { ($0 / width, $0 % width) }) spreads over \(spread(inputs) + 1) pixels")
            for f in inputs { reads[f] += 1 }
            if spread(inputs) <= 2 { compact += 1 }
        }
        #expect(compact > 96 * 3 / 4, "\(compact) of 96 patches lie in a 3×3 window")
        #expect(reads.filter { $0 > 0 }.count > features.count / 2, "patches cover most of the image")
    }

    @Test func treeLayerJoinsNeighbouringPatchesOnce() {
        let features = Array(0..<(width * width))
        let wiring = Connectivity.patches(seed: 3, layers: layers, inputFeatures: features, image: ImageGeometry(width: width))
        #expect(wiring.inputs[1].flatMap { $0 }.sorted() == Array(0..<96))
        let random = Connectivity.random(seed: 3, layers: layers, inputFeatures: features)
        func meanSpread(_ c: Connectivity) -> Double {
            let fields = c.inputs[1].map { group in spread(group.flatMap { c.inputs[0][$0] }) }
            return Double(fields.reduce(0, +)) / Double(fields.count)
        }
        // A tree of patches sees a local field; random wiring sees most of the image.
        #expect(meanSpread(wiring) < 0.5 * meanSpread(random), "\(meanSpread(wiring)) vs \(meanSpread(random))")
        #expect(wiring.inputs[2] == random.inputs[2] && wiring.inputs[3] == random.inputs[3])
    }

    @Test func deterministicAndOnlyActiveFeatures() {
        let active = (0..<(width * width)).filter { $0 % 3 != 0 }
        let a = Connectivity.patches(seed: 5, layers: layers, inputFeatures: active, image: ImageGeometry(width: width))
        #expect(a == Connectivity.patches(seed: 5, layers: layers, inputFeatures: active, image: ImageGeometry(width: width)))
        #expect(a.inputs[0].allSatisfy { $0.allSatisfy(Set(active).contains) })
        #expect(a != Connectivity.patches(seed: 6, layers: layers, inputFeatures: active, image: ImageGeometry(width: width)))
    }

    /// With 3 channels a pixel, a patch lies together by pixel, and may read several channels of one.
    @Test func patchesPlaceChannelsAtTheirPixel() {
        let image = ImageGeometry(width: width, channels: 3)
        let features = Array(0..<(width * width * 3))
        let wiring = Connectivity.patches(seed: 3, layers: layers, inputFeatures: features, image: image)
        var sharesAPixel = 0, compact = 0
        for inputs in wiring.inputs[0] {
            let pixels = inputs.map(image.pixel(of:))
            #expect(spread(pixels) <= 4)
            if spread(pixels) <= 2 { compact += 1 }
            if Set(pixels).count < pixels.count { sharesAPixel += 1 }
        }
        #expect(compact > 96 * 3 / 4, "\(compact) of 96 patches lie in a 3×3 window of pixels")
        #expect(sharesAPixel > 0, "a patch's nearest features include the other channels of its pixels")
        #expect(ImageGeometry(width: width, channels: 3).feature(row: 2, column: 5, channel: 1) == (2 * width + 5) * 3 + 1)
    }
}
