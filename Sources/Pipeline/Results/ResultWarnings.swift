import NeuraLUT
import ProjectFile

/// Warnings about what a build produced, worded once: the step that finds a
/// problem prints it (`StepContext.warn`), and the report page shows it,
/// worked out again from its own inputs, so a cached build's page still
/// carries the warnings its first build printed.
enum ResultWarnings {
    /// The validation set is too small to select an epoch on (nil when fine).
    static func smallValidation(rows: Int, keepsBestEpoch: Bool) -> String? {
        guard keepsBestEpoch, rows < ModelSelection.minimumValidationRows else { return nil }
        // Accuracy on a few rows moves in coarse steps: many epochs tie and the pick is mostly luck.
        return "the validation set has only \(rows) rows, too few to select an epoch on "
            + "(accuracy steps of \(String(format: "%.1f", 100 / Double(max(rows, 1))))%); raise "
            + "dataset.validation_fraction, or set train.selection = \"last-epoch\""
    }

    /// One line per layer whose outputs the next layer does not all read.
    static func unreadOutputs(_ wiring: Connectivity, layers: [LayerWiring]) -> [String] {
        wiring.unreadOutputs(layerSizes: layers.map(\.partitions)).enumerated().compactMap { layer, unread in
            guard unread > 0 else { return nil }
            let next = layers[layer + 1]
            // An output no later partition reads is trained and mapped for nothing (synthesis removes it).
            return "\(unread) of layer \(layer)'s \(layers[layer].partitions) outputs are read by no partition of layer \(layer + 1) "
                + "(\(next.partitions) partitions × fan-in \(next.fanIn)); "
                + "they are trained and mapped but synthesis removes them: lower layer \(layer)'s partitions or raise layer \(layer + 1)'s"
        }
    }
}
