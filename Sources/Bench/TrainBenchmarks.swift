/// Benchmarks of this area; see Benchmark.swift.
let trainBenchmarks: [Benchmark] = []
