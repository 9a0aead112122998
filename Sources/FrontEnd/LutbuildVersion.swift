/// lutbuild's own version, printed by `lutbuild version`.
public enum LutbuildVersion {
    public static let current = "0.1.0"
}
