/// One port of the top module, as IP-XACT, TCL and FuseSoC need to know it.
public struct HDLPort: Sendable, Hashable, Codable {
    /// Port direction seen from inside the module.
    public enum Direction: String, Sendable, Hashable, Codable {
        case input = "in"
        case output = "out"
    }

    public var name: String
    public var direction: Direction
    /// Number of bits.
    public var width: Int
    /// Whether the HDL declares a range `[width-1:0]`; a 1-bit port may be
    /// declared `[0:0]`, and IP-XACT must then say so too.
    public var isVector: Bool

    /// `isVector` defaults to `width > 1`.
    public init(name: String, direction: Direction, width: Int = 1, isVector: Bool? = nil) {
        self.name = name
        self.direction = direction
        self.width = width
        self.isVector = isVector ?? (width > 1)
    }
}
