/// An AXI4-Stream bus interface of the core, as IP Integrator connects it
/// (`xilinx.com:interface:axis:1.0`). Its physical ports are
/// `<name>_tdata`, `<name>_tvalid`, `<name>_tready`, `<name>_tlast` and,
/// with `userBits > 0`, `<name>_tuser`: the names Vivado's packager infers
/// the interface from.
public struct StreamBus: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable {
        /// Receives samples (`s_axis`).
        case slave
        /// Sends results (`m_axis`).
        case master
    }

    /// The interface name and port prefix, e.g. `s_axis`.
    public var name: String
    public var mode: Mode
    /// `TDATA_NUM_BYTES`: `<name>_tdata` is 8 × this wide.
    public var dataBytes: Int
    /// `TUSER_WIDTH`; 0: no `tuser` port.
    public var userBits: Int

    public init(name: String, mode: Mode, dataBytes: Int, userBits: Int = 0) {
        self.name = name
        self.mode = mode
        self.dataBytes = dataBytes
        self.userBits = userBits
    }

    /// Logical port (the axis_rtl abstraction's name) → physical port, in the order Vivado lists them.
    public var portMap: [(logical: String, physical: String)] {
        ["TDATA"].map { ($0, "\(name)_\($0.lowercased())") }
            + (userBits > 0 ? [("TUSER", "\(name)_tuser")] : [])
            + ["TLAST", "TVALID", "TREADY"].map { ($0, "\(name)_\($0.lowercased())") }
    }
}
