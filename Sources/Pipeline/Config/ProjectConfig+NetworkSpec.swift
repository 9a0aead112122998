import NeuraLUT

extension ModelSection {
    /// The layers with every network-wide default applied: hidden layers emit
    /// `bits`, the last layer `output_bits`, unless a layer overrides `bits`.
    public var layerSpecs: [LayerSpec] {
        layers.enumerated().map { i, layer in
            LayerSpec(
                partitions: layer.partitions,
                fanIn: layer.fanIn ?? fanIn,
                outputBits: layer.bits ?? (i == layers.count - 1 ? outputBits : bits),
                shape: PartitionShape(width: layer.width ?? width, depth: layer.depth ?? depth, skip: layer.skip ?? skip))
        }
    }
}

extension ProjectConfig {
    /// The NeuraLUT network this project describes, for data with
    /// `inputFeatures` features and `classes` classes.
    public func networkSpec(inputFeatures: Int, classes: Int) -> NetworkSpec {
        NetworkSpec(
            inputFeatures: inputFeatures, inputBits: model.inputBits, classes: classes,
            layers: model.layerSpecs, seed: model.seed)
    }
}
