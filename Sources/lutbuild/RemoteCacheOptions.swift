import ArgumentParser
import BuildGraph
import Pipeline

extension RemoteCacheMode: ExpressibleByArgument {}

/// `--remote-cache URL` and `--remote-cache-mode`, for the commands that build.
struct RemoteCacheOptions: ParsableArguments {
    @Option(name: .customLong("remote-cache"), help: ArgumentHelp(
        "Shared cache (Bazel HTTP cache protocol, e.g. bazel-remote or nginx WebDAV); overrides LUTBUILD_REMOTE_CACHE and [cache] remote; an empty URL disables it.",
        valueName: "url"))
    var url: String?

    @Option(name: .customLong("remote-cache-mode"), help: "read: reuse what others uploaded, upload nothing; read-write (default): also upload what this build runs.")
    var mode: RemoteCacheMode = .readWrite

    var choice: RemoteCacheChoice { RemoteCacheChoice(url: url, mode: mode) }
}
