/// One port of the top module, as IP-XACT, TCL and FuseSoC need to know it.
public struct HDLPort: Sendable, Hashable, Codable {
    /// Port direction seen from inside the module.
    public enum Direction: String, Sendable, Hashable, Codable {
        case input = "in"
        case output = "out"
    }

    public var name: String
    public var direction: Direction
    /// Number of bits; 1 means a scalar port (no `[msb:lsb]` range).
    public var width: Int

    public init(name: String, direction: Direction, width: Int = 1) {
        self.name = name
        self.direction = direction
        self.width = width
    }

    /// Whether the port is declared as a vector `[width-1:0]`.
    public var isVector: Bool { width > 1 }
}
