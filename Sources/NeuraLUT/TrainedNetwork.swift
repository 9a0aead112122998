import Foundation

/// The trained input front end: per-feature batch-norm (running statistics,
/// γ, learned bias β) and the signed input quantizer's learned scale.
public struct InputFrontEnd: Hashable, Codable, Sendable {
    public var bits: Int
    public var mean: [Float]
    public var variance: [Float]
    public var gamma: [Float]
    public var bias: [Float]
    public var scale: Float

    public init(bits: Int, mean: [Float], variance: [Float], gamma: [Float], bias: [Float], scale: Float) {
        self.bits = bits
        self.mean = mean
        self.variance = variance
        self.gamma = gamma
        self.bias = bias
        self.scale = scale
    }

    /// The front end before training: the identity, or with `centred`, each feature's mean
    /// on the boundary between codes −1 and 0, the middle of the signed code range, so the
    /// codes split the rows at the mean. Uncentred, the mean sits inside code 0: with 1-bit
    /// codes, a feature set in fewer than half the rows (most image pixels) starts with code 0
    /// in every row (docs/training.md, "Input front end").
    public static func initial(features: Int, bits: Int, centred: Bool = false) -> InputFrontEnd {
        let scale = Quantization.initialScale(bits: bits, signed: true)
        return InputFrontEnd(
            bits: bits, mean: .init(repeating: 0, count: features), variance: .init(repeating: 1, count: features),
            gamma: .init(repeating: 1, count: features), bias: .init(repeating: centred ? -scale / 2 : 0, count: features),
            scale: scale)
    }

    /// The inference form: batch-norm and quantizer folded into one affine
    /// map per feature. The quantized network computes its input codes with
    /// exactly this encoder.
    public var encoder: InputEncoder {
        var scales: [Float] = [], offsets: [Float] = []
        for f in mean.indices {
            let a = gamma[f] / (variance[f] + Quantization.epsilon).squareRoot()
            scales.append(a / scale)
            offsets.append((bias[f] - mean[f] * a) / scale)
        }
        return InputEncoder(bits: bits, scale: scales, offset: offsets)
    }
}

/// Everything of a trained network that is not per partition: one learned
/// output scale per layer and the input front end. Stored as one object.
public struct QuantizerParameters: Hashable, Codable, Sendable {
    /// `outputScales[l]`: value of one code step of layer `l`'s outputs.
    public var outputScales: [Float]
    public var inputFrontEnd: InputFrontEnd

    public init(outputScales: [Float], inputFrontEnd: InputFrontEnd) {
        self.outputScales = outputScales
        self.inputFrontEnd = inputFrontEnd
    }

    static let magic = "NLPQ"
    static let version: UInt32 = 1

    /// "NLPQ", version (UInt32), layer count (UInt32), the layer scales,
    /// input bits (UInt32), feature count (UInt32), mean[], variance[],
    /// gamma[], bias[] and the input scale (Float32 LE).
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.append(magic: Self.magic)
        w.append(Self.version)
        w.append(UInt32(outputScales.count))
        for s in outputScales { w.append(s) }
        let fe = inputFrontEnd
        w.append(UInt32(fe.bits))
        w.append(UInt32(fe.mean.count))
        for array in [fe.mean, fe.variance, fe.gamma, fe.bias] { for v in array { w.append(v) } }
        w.append(fe.scale)
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes, what: "quantizer parameters")
        try r.expectHeader(magic: Self.magic, version: Self.version)
        let layers = Int(try r.uint32())
        guard layers <= bytes.count / 4 else { throw FormatError("quantizer parameters: implausible layer count \(layers)") }
        var scales: [Float] = []
        for _ in 0..<layers { scales.append(try r.float()) }
        let bits = Int(try r.uint32())
        let features = Int(try r.uint32())
        guard features <= bytes.count / 16 else { throw FormatError("quantizer parameters: implausible feature count \(features)") }
        var arrays: [[Float]] = []
        for _ in 0..<4 {
            var a: [Float] = []
            for _ in 0..<features { a.append(try r.float()) }
            arrays.append(a)
        }
        let scale = try r.float()
        try r.expectEnd()
        self.init(
            outputScales: scales,
            inputFrontEnd: InputFrontEnd(
                bits: bits, mean: arrays[0], variance: arrays[1], gamma: arrays[2], bias: arrays[3], scale: scale))
    }
}

/// A network after training, before tabulation: what the build engine
/// stores (per partition, plus one `QuantizerParameters` object).
public struct TrainedNetwork: Hashable, Codable, Sendable {
    public var spec: NetworkSpec
    public var connectivity: Connectivity
    /// `partitions[layer][index]`.
    public var partitions: [[PartitionWeights]]
    public var quantizers: QuantizerParameters

    public init(spec: NetworkSpec, connectivity: Connectivity, partitions: [[PartitionWeights]], quantizers: QuantizerParameters) {
        self.spec = spec
        self.connectivity = connectivity
        self.partitions = partitions
        self.quantizers = quantizers
    }

    /// Untrained network: seeded connectivity and per-partition initial weights;
    /// `centredInputs` centres the input front end (`InputFrontEnd.initial`).
    public static func initial(spec: NetworkSpec, centredInputs: Bool = false) -> TrainedNetwork {
        let partitions = spec.layers.enumerated().map { l, layer in
            (0..<layer.partitions).map { p in
                PartitionWeights.initial(fanIn: layer.fanIn, shape: layer.shape, seed: spec.seed, layer: l, partition: p)
            }
        }
        let scales = spec.layers.indices.map {
            Quantization.initialScale(bits: spec.layers[$0].outputBits, signed: spec.isSigned(layer: $0))
        }
        return TrainedNetwork(
            spec: spec, connectivity: .random(for: spec), partitions: partitions,
            quantizers: QuantizerParameters(
                outputScales: scales,
                inputFrontEnd: .initial(features: spec.inputFeatures, bits: spec.inputBits, centred: centredInputs)))
    }

    /// The input encoder of the quantized network (and of LUT inference).
    public var encoder: InputEncoder { quantizers.inputFrontEnd.encoder }

    public subscript(id: PartitionID) -> PartitionWeights {
        get { partitions[id.layer][id.index] }
        set { partitions[id.layer][id.index] = newValue }
    }

    /// Checks that spec, wiring and weights agree; throws naming the mismatch.
    public func validate() throws {
        try spec.validate()
        guard connectivity.inputs.count == spec.layers.count, partitions.count == spec.layers.count,
            quantizers.outputScales.count == spec.layers.count
        else {
            throw FormatError("trained network: layer count differs between spec (\(spec.layers.count)), connectivity, weights and scales")
        }
        for (l, layer) in spec.layers.enumerated() {
            guard partitions[l].count == layer.partitions, connectivity.inputs[l].count == layer.partitions else {
                throw FormatError("trained network: layer \(l) has \(partitions[l].count) weight sets, expected \(layer.partitions)")
            }
            for (p, w) in partitions[l].enumerated() {
                let expected = PartitionLayout(fanIn: layer.fanIn, shape: layer.shape).parameterCount
                guard w.fanIn == layer.fanIn, w.shape == layer.shape, w.parameters.count == expected,
                    connectivity.inputs[l][p].count == layer.fanIn
                else {
                    throw FormatError("trained network: \(PartitionID(layer: l, index: p)) does not match its layer spec")
                }
            }
        }
        let fe = quantizers.inputFrontEnd
        guard fe.bits == spec.inputBits, [fe.mean, fe.variance, fe.gamma, fe.bias].allSatisfy({ $0.count == spec.inputFeatures }) else {
            throw FormatError("trained network: input front end does not match \(spec.inputFeatures) features of \(spec.inputBits) bits")
        }
    }
}
