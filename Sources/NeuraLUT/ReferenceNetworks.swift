extension NetworkSpec {
    /// Names of the benchmark models of docs/method.md.
    public static let referenceNames = ["jsc-2l", "jsc-5l", "mnist-5l"]

    /// The published NeuraLUT configurations (docs/method.md, reference configurations), shared by
    /// training, RTL and build benchmarks. Nil for an unknown name.
    public static func reference(_ name: String, seed: UInt64 = 1) -> NetworkSpec? {
        func layers(_ sizes: [Int], bits: (Int, Int), fanIn: (Int, Int, Int), width: Int) -> [LayerSpec] {
            sizes.enumerated().map { i, n in
                LayerSpec(
                    partitions: n, fanIn: i == 0 ? fanIn.0 : (i == sizes.count - 1 ? fanIn.2 : fanIn.1),
                    outputBits: i == sizes.count - 1 ? bits.1 : bits.0, shape: .neuraLUT(width: width))
            }
        }
        switch name {
        case "jsc-2l":
            return NetworkSpec(
                inputFeatures: 16, inputBits: 4, classes: 5,
                layers: layers([32, 5], bits: (4, 4), fanIn: (3, 3, 3), width: 8), seed: seed)
        case "jsc-5l":
            return NetworkSpec(
                inputFeatures: 16, inputBits: 7, classes: 5,
                layers: layers([128, 128, 128, 64, 5], bits: (4, 4), fanIn: (2, 3, 3), width: 16), seed: seed)
        case "mnist-5l", "hdr-5l":
            return NetworkSpec(
                inputFeatures: 784, inputBits: 2, classes: 10,
                layers: layers([256, 100, 100, 100, 10], bits: (2, 2), fanIn: (6, 6, 6), width: 16), seed: seed)
        default:
            return nil
        }
    }
}
