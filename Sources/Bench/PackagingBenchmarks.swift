/// Benchmarks of this area; see Benchmark.swift.
let packagingBenchmarks: [Benchmark] = []
