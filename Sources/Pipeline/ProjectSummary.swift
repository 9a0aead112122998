import Foundation
import NeuraLUT

extension Project {
    /// What the project will build, for `lutbuild build` and `status`:
    /// data shape and splits, layers, partitions and truth-table sizes.
    public func summary(of data: PreparedData) -> String {
        let spec = config.networkSpec(inputFeatures: data.features, classes: data.classes)
        let dataset = config.dataset
        var lines: [String] = []
        func add(_ label: String, _ text: String) {
            lines.append(label.padding(toLength: 10, withPad: " ", startingAt: 0) + text)
        }
        add("project", "\(config.project.name) (top module \(config.project.top)) in \(configFileName)")
        add("data", "\(dataset.train) (\(dataset.format.rawValue)): \(data.features) features, \(data.classes) classes, normalize \(dataset.normalize.rawValue)")
        add("rows", "train \(data.train.rows), validation \(data.validation.rows), test \(data.test.rows)")
        let partitions = spec.layers.reduce(0) { $0 + $1.partitions }
        add("network", "\(spec.layers.count) layers, \(partitions) partitions, input \(spec.inputFeatures) × \(spec.inputBits) bits, seed \(spec.seed)")
        var totalBits = 0
        for (l, layer) in spec.layers.enumerated() {
            let address = spec.tableAddressBits(ofLayer: l)
            let entries = 1 << address
            let bits = layer.partitions * entries * layer.outputBits
            totalBits += bits
            let shape = layer.shape
            add("layer \(l)",
                "\(layer.partitions) partitions, fan-in \(layer.fanIn) × \(spec.inputBits(ofLayer: l)) bits = \(address) address bits, "
                + "\(entries) entries × \(layer.outputBits) bits\(spec.isSigned(layer: l) ? " (signed)" : ""), "
                + "N=\(shape.width) L=\(shape.depth) S=\(shape.skip)")
        }
        add("tables", "\(grouped(totalBits)) bits in all (\(ByteCount.text(Double(totalBits) / 8)))")
        return lines.joined(separator: "\n")
    }

    private func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }
}
