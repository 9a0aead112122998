// swift-tools-version:6.0
import PackageDescription

/// The CPU release builds compile the numeric kernels for, per architecture:
/// Haswell on x86-64 (AVX2 and FMA, which the kernels' figures in
/// docs/benchmarks.md assume), the compiler's default on arm64 (NEON is
/// baseline). `LUTBUILD_TARGET_CPU` overrides it with a CPU name the compiler
/// knows (it lists them when given one it does not; the `x86-64-v2`…`v4`
/// levels are not among them): e.g. `x86-64` for x86 machines without AVX2,
/// `znver4` or `native`.
let targetCPU: String? =
    Context.environment["LUTBUILD_TARGET_CPU"]
    ?? {
        #if arch(x86_64)
        return "haswell"
        #else
        return nil
        #endif
    }()
let targetCPUFlags = targetCPU.map { ["-target-cpu", $0] } ?? []

/// Release builds compile for `targetCPU`. Swift's overflow and bounds checks stay on everywhere
/// (no `-Ounchecked`): a crafted header or store object must fail, never read garbage, and
/// training measured at most about 8% faster without them (docs/benchmarks.md, "Overflow checks").
let targetCPUSettings: [SwiftSetting] =
    targetCPUFlags.isEmpty
    ? []
    : [
        .unsafeFlags(targetCPUFlags, .when(configuration: .release))
    ]

let package = Package(
    name: "lutbuild",
    products: [
        .executable(name: "lutbuild", targets: ["lutbuild"]),
        .executable(name: "lutbuild-bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Test-only: parses the generated FuseSoC core file.
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libcurl for the remote cache client: URLSession on Linux can neither trust a private CA nor
        // send a client certificate, and hangs on a 401 with WWW-Authenticate (docs/remote-cache.md).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Starts external tools in their own process group, killed with lutbuild (Linux).
        .target(name: "CSupervisedSpawn"),
        // The one runner for external programs (simulators, yosys, ABC, git, a child build).
        .target(name: "Subprocess", dependencies: ["CSupervisedSpawn", "Diagnostics"]),

        // What the user sees of an error (`UserError`, adopted where each error type is declared)
        // and how many problems it shows at once (project files and data alike).
        .target(name: "Diagnostics"),
        // The JSON styles lutbuild writes (sorted keys), configured once.
        .target(name: "DeterministicJSON"),
        // How many CPUs this process may use (affinity mask, cgroup quota): every thread count's source.
        .target(name: "CAffinity"),
        .target(name: "Allocation", dependencies: ["CAffinity"]),
        // A cache-line prefetch for Swift code (the training batch gather).
        .target(name: "CPrefetch"),
        // Where a remote cache is and how it may be used, as the user writes it (URL, mode): below the engine,
        // the cache client and the project file alike.
        .target(name: "RemoteCacheAddress", dependencies: ["Diagnostics"]),
        // The generic, NN-agnostic incremental build engine.
        .target(
            name: "BuildGraph",
            dependencies: ["Diagnostics", "Allocation", "RemoteCacheAddress", .product(name: "Crypto", package: "swift-crypto")]),
        // The Bazel HTTP cache protocol client behind BuildGraph's remote cache.
        .target(name: "HTTPCache", dependencies: ["BuildGraph", "CCurl", "Diagnostics", "RemoteCacheAddress"]),
        // Dataset loading: CSV, MNIST IDX, NPY; splits and normalisation.
        .target(name: "Datasets", dependencies: ["CZlib", "Diagnostics"], swiftSettings: targetCPUSettings),
        // The NeuraLUT method: network spec, training, truth tables, LUT inference.
        .target(
            name: "NeuraLUT", dependencies: ["Datasets", "DeterministicJSON", "Diagnostics", "Allocation", "CPrefetch"],
            swiftSettings: targetCPUSettings
        ),
        // Verilog emission, testbench, simulator and yosys drivers.
        // Names in generated hardware and files: Verilog identifiers, reserved words and names, lengths.
        .target(name: "HDLNames"),
        .target(
            name: "RTL",
            dependencies: ["NeuraLUT", "Datasets", "HDLNames", "Subprocess", "DeterministicJSON", "Diagnostics", "Allocation"]),
        // Truth tables minimised and mapped to LUT6 netlists (ABC as an external tool).
        .target(name: "Synthesis", dependencies: ["NeuraLUT", "RTL", "Subprocess", "DeterministicJSON", "Diagnostics"]),
        // Vivado TCL, IP-XACT component.xml, FuseSoC core.
        .target(name: "Packaging", dependencies: ["HDLNames", "CLibXML2", "Diagnostics"]),
        // lutbuild.toml: the typed config, its schema and rules with file:line
        // diagnostics, and the template `lutbuild init` writes.
        .target(
            name: "ProjectFile",
            dependencies: [
                "Datasets", "Diagnostics", "NeuraLUT", "Synthesis", "Packaging", "HDLNames", "RemoteCacheAddress",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        // lutbuild's steps wired into BuildGraph, what they produce, and sweeps.
        .target(
            name: "Pipeline",
            dependencies: [
                "ProjectFile", "BuildGraph", "Datasets", "Diagnostics", "NeuraLUT", "RTL", "Synthesis", "Packaging", "HTTPCache",
                "DeterministicJSON", "HDLNames", "Allocation", "Subprocess", "RemoteCacheAddress",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        // What the user sees around a build: report text, the `--json` summary event, signals,
        // watch glue, git hooks, Vivado report import, the version. Above Pipeline; no step knows it.
        .target(
            name: "FrontEnd",
            dependencies: ["Pipeline", "ProjectFile", "BuildGraph", "Packaging", "Subprocess", "Diagnostics", "DeterministicJSON"]),
        // The thin command-line front end.
        .executableTarget(
            name: "lutbuild",
            dependencies: [
                "FrontEnd", "Pipeline", "ProjectFile", "BuildGraph", "Diagnostics", "RTL", "Datasets", "DeterministicJSON", "Allocation",
                "RemoteCacheAddress",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Benchmarks behind bench/run (docs/method.md, "Benchmarks"); not shipped to users.
        .executableTarget(
            name: "Bench",
            dependencies: [
                "BuildGraph", "Datasets", "NeuraLUT", "RTL", "Packaging", "Pipeline", "ProjectFile", "Synthesis", "NginxCacheServer",
                "TestSupport", "Allocation", "Subprocess",
            ], swiftSettings: targetCPUSettings),

        .testTarget(name: "BuildGraphTests", dependencies: ["BuildGraph", "RemoteCacheAddress"]),
        .testTarget(name: "AllocationTests", dependencies: ["Allocation", "CAffinity"]),
        // Shared by the test targets: the one process runner.
        .target(name: "TestSupport", path: "Tests/Support/TestSupport"),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Diagnostics", "TestSupport"]),
        .testTarget(name: "NeuraLUTTests", dependencies: ["NeuraLUT", "Datasets"]),
        .testTarget(name: "SubprocessTests", dependencies: ["Subprocess", "TestSupport"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "HDLNamesTests", dependencies: ["HDLNames"]),
        .testTarget(
            name: "ProjectFileTests",
            dependencies: [
                "ProjectFile", "Diagnostics", "Datasets", "HTTPCache", "NeuraLUT", "TestSupport",
            ]),
        .testTarget(name: "RTLTests", dependencies: ["RTL", "NeuraLUT", "Datasets", "Subprocess", "TestSupport"]),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "RTL", "NeuraLUT", "Subprocess", "TestSupport"]),
        .testTarget(
            name: "PackagingTests",
            dependencies: [
                "Packaging", "CLibXML2", "TestSupport", .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "ProjectFile", "BuildGraph", "Diagnostics", "NeuraLUT", "Datasets", "TestSupport", "HTTPCache", "RTL",
                "Synthesis",
            ]),
        .testTarget(name: "FrontEndTests", dependencies: ["FrontEnd", "Pipeline", "TestSupport"]),
        .testTarget(name: "HTTPCacheTests", dependencies: ["HTTPCache", "BuildGraph", "TestSupport", "RemoteCacheAddress"]),
        // A real nginx cache server for the remote cache tests and benchmarks.
        .target(name: "NginxCacheServer", path: "Tests/Support/NginxCacheServer"),
        // A real one-node Slurm cluster for the cluster sweep tests and benchmarks.
        .target(name: "SlurmCluster", dependencies: ["NginxCacheServer"], path: "Tests/Support/SlurmCluster"),
        // Also drives the remote cache client against a real nginx it starts, and sweeps on a real Slurm.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport", "lutbuild", "HTTPCache", "BuildGraph", "NginxCacheServer", "SlurmCluster", "RemoteCacheAddress"]),
    ],
    swiftLanguageModes: [.v6]
)
