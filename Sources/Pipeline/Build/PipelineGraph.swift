import NeuraLUT
import ProjectFile

/// Facts about the graph a project file defines that several steps' `make`
/// functions need: which partitions exist, and whether tables are filled.
enum PipelineGraph {
    /// Whether table entries no training row reaches are don't-cares (`[hardware] dont_care`).
    static func fillsDontCares(_ config: ProjectConfig) -> Bool { config.hardware.dontCare != .none }

    static func partitionIDs(_ config: ProjectConfig) -> [PartitionID] {
        config.model.layers.enumerated().flatMap { layer, spec in
            (0..<spec.partitions).map { PartitionID(layer: layer, index: $0) }
        }
    }
}
