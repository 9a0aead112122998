import Foundation

// Each area's file contributes its list; keep this the only place they meet.
let allBenchmarks: [Benchmark] =
    dataBenchmarks + machineBenchmarks + trainBenchmarks + rtlBenchmarks + buildBenchmarks
    + watchBenchmarks + reliabilityBenchmarks + cacheBenchmarks + dontCareBenchmarks + hardwareBenchmarks
    + frontierBenchmarks + scheduleBenchmarks

func jsonLine(_ object: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let full = arguments.contains("--full")
arguments.removeAll { $0 == "--full" }
let requested = Set(arguments)

let known = Set(allBenchmarks.flatMap(\.names))
var failed = false
for name in requested.subtracting(known).sorted() {
    print(jsonLine(["name": name, "error": "unknown benchmark; known: \(known.sorted().joined(separator: ", "))"]))
    failed = true
}

for benchmark in allBenchmarks {
    let wanted = requested.isEmpty ? benchmark.names : benchmark.names.filter(requested.contains)
    if wanted.isEmpty || (benchmark.fullOnly && !full && requested.isEmpty) { continue }
    do {
        let figures = try benchmark.run()
        for figure in figures where wanted.contains(figure.name) {
            print(jsonLine(["name": figure.name, "value": figure.value, "unit": figure.unit]))
        }
    } catch {
        for name in wanted { print(jsonLine(["name": name, "error": "\(error)"])) }
        failed = true
    }
    fflush(nil)
}
exit(failed ? 1 : 0)
