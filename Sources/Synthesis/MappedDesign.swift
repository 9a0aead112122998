import NeuraLUT
import RTL

extension LUTMapper {
    /// Maps every table of `network` (concurrently), each checked bit-exact;
    /// `netlists[layer][partition]`.
    public func map(
        network: LUTNetwork, care: [[CareSet?]]? = nil,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> [[LUTNetlist]] {
        let tables = network.tables.flatMap { $0 }
        let mapped = try map(tables, care: care.map { $0.flatMap { $0 } }, isCancelled: isCancelled)
        var netlists: [[LUTNetlist]] = [], start = 0
        for layer in network.tables {
            netlists.append(mapped[start..<(start + layer.count)].map(\.netlist))
            start += layer.count
        }
        return netlists
    }
}

extension VerilogEmitter {
    /// The whole design with every partition written as its mapped netlist
    /// (`netlists[layer][partition]`, as `LUTMapper.map(network:)` returns);
    /// with `.xilinx` primitives the LUT cell models are added for simulation.
    public static func design(
        network: LUTNetwork, netlists: [[LUTNetlist]], primitives: LUTPrimitives = .portable,
        options: RTLOptions = RTLOptions()
    ) throws -> RTLDesign {
        guard netlists.map(\.count) == network.tables.map(\.count) else {
            throw SynthesisError("one netlist per partition is needed: got \(netlists.map(\.count)) for \(network.tables.map(\.count))")
        }
        return try design(
            network: network, options: options,
            simulationModels: primitives == .xilinx ? [NetlistVerilog.xilinxCellModels] : []
        ) { id, name in
            NetlistVerilog.partitionModule(name: name, netlist: netlists[id.layer][id.index], primitives: primitives)
        }
    }
}
