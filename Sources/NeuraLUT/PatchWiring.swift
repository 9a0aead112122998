/// Wiring for images (`[model] image_width`, docs/project-file.md): a
/// partition of a few inputs learns more from pixels that lie together
/// (a stroke, an edge) than from pixels scattered over the image.
extension Connectivity {
    /// `random(seed:layers:inputFeatures:)`, except that layer 0's partitions
    /// each read a patch and, when layer 1 assembles layer 0 into trees (its
    /// partitions × fan-in equal layer 0's partitions, so each patch is read
    /// once), each of layer 1's partitions joins neighbouring patches. A patch
    /// is a centre and `fanIn − 1` features drawn from the `2·fanIn − 1`
    /// nearest to it (distance on the image, ties in a seeded order); the
    /// centres are dealt evenly over `inputFeatures`, so every feature is a
    /// centre about equally often. Features lie on `image` (a pixel's channels at one place, so
    /// a patch may read several channels of a pixel). Layers from 2 on are wired as `random`.
    public static func patches(seed: UInt64, layers: [LayerWiring], inputFeatures: [Int], image: ImageGeometry) -> Connectivity {
        var wiring = random(seed: seed, layers: layers, inputFeatures: inputFeatures)
        guard let first = layers.first else { return wiring }
        var rng = SeededRandom(seed: seed, stream: 0x9A7C, 0)
        var centres = Deck(cards: inputFeatures, rng: SeededRandom(seed: seed, stream: 0x9A7C, 1))
        func position(_ feature: Int) -> (row: Double, column: Double) {
            (Double(image.row(of: feature)), Double(image.column(of: feature)))
        }
        func distance(_ a: (row: Double, column: Double), _ b: (row: Double, column: Double)) -> Double {
            (a.row - b.row) * (a.row - b.row) + (a.column - b.column) * (a.column - b.column)
        }
        var patchCentres: [(row: Double, column: Double)] = []
        wiring.inputs[0] = (0..<first.partitions).map { _ in
            let centre = centres.deal(1)[0]
            let at = position(centre)
            // The jitter (below 1, the smallest distance between pixels) orders ties only.
            let nearest = inputFeatures.filter { $0 != centre }
                .map { (distance(position($0), at) + Double(rng.nextUnitFloat()) * 0.5, $0) }
                .sorted { $0 < $1 }
                .prefix(2 * first.fanIn - 1).map(\.1)
            var pool = Array(nearest), hand = [centre]
            while hand.count < first.fanIn { hand.append(pool.remove(at: rng.nextInt(below: pool.count))) }
            let points = hand.map(position)
            patchCentres.append(
                (
                    points.map(\.row).reduce(0, +) / Double(hand.count),
                    points.map(\.column).reduce(0, +) / Double(hand.count)
                ))
            return hand.sorted()
        }
        if layers.count > 1, layers[1].partitions * layers[1].fanIn == first.partitions {
            // Greedy: a random unassigned patch and its nearest unassigned neighbours form one tree.
            var unassigned = Set(0..<first.partitions)
            var seeds = Array(0..<first.partitions)
            rng.shuffle(&seeds)
            var groups: [[Int]] = []
            for seedPatch in seeds where unassigned.contains(seedPatch) {
                unassigned.remove(seedPatch)
                let neighbours = unassigned.sorted {
                    (distance(patchCentres[$0], patchCentres[seedPatch]), $0)
                        < (distance(patchCentres[$1], patchCentres[seedPatch]), $1)
                }.prefix(layers[1].fanIn - 1)
                unassigned.subtract(neighbours)
                groups.append(([seedPatch] + neighbours).sorted())
            }
            wiring.inputs[1] = groups
        }
        return wiring
    }
}
