/// Benchmarks of this area; see Benchmark.swift.
let dataBenchmarks: [Benchmark] = []
