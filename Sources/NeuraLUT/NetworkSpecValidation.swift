/// A specification the method cannot realise, named by the key at fault.
public struct SpecError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension NetworkSpec {
    /// Largest table address width accepted (2^24 entries per partition).
    public static let maxTableAddressBits = 24

    /// Checks every constraint training and tabulation rely on.
    public func validate() throws {
        guard inputFeatures >= 1 else { throw SpecError("model: input features must be at least 1, got \(inputFeatures)") }
        guard (1...16).contains(inputBits) else { throw SpecError("model: input_bits must be in 1...16, got \(inputBits)") }
        guard classes >= 2 else { throw SpecError("model: classes must be at least 2, got \(classes)") }
        guard let last = layers.last else { throw SpecError("model: layers must not be empty") }
        guard last.partitions == classes else {
            throw SpecError("model: the last layer has \(last.partitions) partitions, expected one per class (\(classes))")
        }
        for (l, layer) in layers.enumerated() {
            let key = "model.layers[\(l)]"
            guard layer.partitions >= 1 else { throw SpecError("\(key).partitions must be at least 1, got \(layer.partitions)") }
            guard (1...inputWidth(ofLayer: l)).contains(layer.fanIn) else {
                throw SpecError("\(key).fan_in must be in 1...\(inputWidth(ofLayer: l)) (the previous layer's width), got \(layer.fanIn)")
            }
            guard (1...16).contains(layer.outputBits) else { throw SpecError("\(key).bits must be in 1...16, got \(layer.outputBits)") }
            guard tableAddressBits(ofLayer: l) <= Self.maxTableAddressBits else {
                throw SpecError("\(key): fan_in × input bits = \(tableAddressBits(ofLayer: l)), at most \(Self.maxTableAddressBits) table address bits are supported")
            }
            guard (1...64).contains(layer.shape.depth) else { throw SpecError("\(key).depth must be in 1...64, got \(layer.shape.depth)") }
            guard layer.shape.depth == 1 || (1...4096).contains(layer.shape.width) else {
                throw SpecError("\(key).width must be in 1...4096, got \(layer.shape.width)")
            }
            guard layer.shape.skip >= 0 else { throw SpecError("\(key).skip must be 0 (none) or positive, got \(layer.shape.skip)") }
        }
    }
}
