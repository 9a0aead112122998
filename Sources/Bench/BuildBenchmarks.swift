/// Benchmarks of this area; see Benchmark.swift.
let buildBenchmarks: [Benchmark] = []
