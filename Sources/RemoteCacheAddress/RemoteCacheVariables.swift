/// Environment variables of the remote cache that more than one module names.
public enum RemoteCacheVariables {
    /// One `Name: value` header sent with every request (credentials stay out of the project file).
    public static let header = "LUTBUILD_REMOTE_CACHE_HEADER"
}
