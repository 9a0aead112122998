import NeuraLUT

extension ModelSection {
    /// Where each input feature lies on the image; nil without `imageWidth`.
    public var image: ImageGeometry? { ImageGeometry(width: imageWidth, channels: imageChannels) }

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

extension ModelSection {
    /// Bits of each code layer `layer` reads (the rule is `LayerSpec.inputBits`).
    public func inputBits(ofLayer layer: Int) -> Int {
        LayerSpec.inputBits(ofLayer: layer, in: layerSpecs, networkInputBits: inputBits)
    }

    /// What layer `layer`'s truth tables depend on besides weights and quantizers.
    public func tableSpec(ofLayer layer: Int) -> PartitionTableSpec {
        PartitionTableSpec(layer: layer, of: layerSpecs, networkInputBits: inputBits)
    }

    /// The network without the data's feature and class counts.
    package var networkShape: NetworkShape {
        NetworkShape(
            inputBits: inputBits, layers: layerSpecs, seed: seed,
            partitionsPerClass: partitionsPerClass == 1 ? nil : partitionsPerClass,
            tieBreakers: tieBreakers == 0 ? nil : tieBreakers)
    }
}

/// A network as the project file describes it: everything but the data's
/// feature and class counts, which the data summary supplies.
package struct NetworkShape: Codable, Sendable, Equatable {
    package var inputBits: Int
    package var layers: [LayerSpec]
    package var seed: UInt64
    /// Nil (and so absent from the keys) unless above 1: projects without it keep their keys.
    package var partitionsPerClass: Int?
    /// Nil (and so absent from the keys) unless above 0, likewise.
    package var tieBreakers: Int?

    package func spec(inputFeatures: Int, classes: Int) -> NetworkSpec {
        NetworkSpec(
            inputFeatures: inputFeatures, inputBits: inputBits, classes: classes, layers: layers, seed: seed,
            partitionsPerClass: partitionsPerClass ?? 1, tieBreakers: tieBreakers ?? 0)
    }
}

extension ProjectConfig {
    /// The NeuraLUT network this project describes, for data with
    /// `inputFeatures` features and `classes` classes.
    public func networkSpec(inputFeatures: Int, classes: Int) -> NetworkSpec {
        model.networkShape.spec(inputFeatures: inputFeatures, classes: classes)
    }
}

extension TrainSection {
    /// The trainer's settings for this section (and `model.min_input_activity`, the image's geometry).
    public func trainingConfig(minInputActivity: Double, image: ImageGeometry?) -> TrainingConfig {
        TrainingConfig(
            epochs: epochs, batchSize: batch, learningRate: Float(learningRate),
            weightDecay: Float(weightDecay), restartEpochs: restartEpochs,
            minInputActivity: minInputActivity, imageWidth: image?.width, imageChannels: image?.channels ?? 1,
            labelSmoothing: Float(labelSmoothing),
            augmentShift: augmentShift ?? 0, centresInputs: centresInputs, distillation: Float(distillation),
            keepsBestEpoch: selection == .bestValidation,
            calibrationRows: calibrationRows)
    }
}
