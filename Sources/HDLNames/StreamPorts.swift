/// Limits of the AXI4-Stream top module that the project file checks and
/// the RTL emits (one rule for both).
public enum StreamPorts {
    /// The widest `tuser` offered: AXI4-Stream allows any width; 64 bits
    /// carry a sample index or a timestamp.
    public static let maximumUserBits = 64
}
