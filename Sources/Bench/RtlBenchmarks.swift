/// Benchmarks of this area; see Benchmark.swift.
let rtlBenchmarks: [Benchmark] = []
