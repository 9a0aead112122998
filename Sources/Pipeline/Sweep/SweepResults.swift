import Datasets
import DeterministicJSON
import Foundation
import TOMLKit

/// What one finished sweep point measured (`gen/sweep/results.json`, one
/// entry per point; the `--json` lines of `lutbuild sweep`).
public struct SweepPointResult: Codable, Sendable, Equatable {
    /// A setting's value: a number, boolean or string as the TOML value was.
    public enum Value: Codable, Sendable, Equatable, CustomStringConvertible {
        case int(Int), double(Double), bool(Bool), string(String)

        /// The value of the TOML text `text` (`4`, `3e-3`, `true`, `"unseen"`; a bare word or an array stays text).
        init(toml text: String) {
            let value = SweepAxis.tomlValue(text).tomlValue
            if let int = value.int {
                self = .int(int)
            } else if let double = value.double {
                self = .double(double)
            } else if let bool = value.bool {
                self = .bool(bool)
            } else {
                self = .string(value.string ?? text)
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let int = try? container.decode(Int.self) {
                self = .int(int)
            } else if let double = try? container.decode(Double.self) {
                self = .double(double)
            } else if let bool = try? container.decode(Bool.self) {
                self = .bool(bool)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .int(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            }
        }

        public var description: String {
            switch self {
            case .int(let value): String(value)
            case .double(let value): String(value)
            case .bool(let value): String(value)
            case .string(let value): value
            }
        }
    }

    /// The point's directory under `gen/sweep/points/`.
    public var name: String
    /// Key → value, one per `--set` axis.
    public var settings: [String: Value]
    /// Test accuracy of LUT inference on the truth tables (what the RTL computes).
    public var accuracy: Double?
    /// Validation accuracy of the selected epoch (what the model was chosen on).
    public var validationAccuracy: Double?
    public var luts: Int?
    /// With `[rtl] input_encoder`: the encoder's LUTs, counted apart from `luts` (nil without one),
    /// so a network fed raw values is compared at `luts + encoderLuts`.
    public var encoderLuts: Int?
    public var flipFlops: Int?
    public var latencyCycles: Int?
    /// Logic levels (LUT depth) of the longest path between registers.
    public var logicLevels: Int?
    /// Seconds the point's steps ran in this sweep (0 when everything was reused).
    public var buildSeconds: Double
    /// Not dominated by another point (no other is as accurate with fewer LUTs, or more accurate with as few).
    public var pareto: Bool
    /// Identifies the point's whole configuration; a finished point is not built again.
    public var configDigest: String
    /// Why the point failed on a cluster node (absent when it was built); a
    /// later run of the sweep builds it again.
    public var error: String?
    /// The failed task's log, relative to the project.
    public var log: String?

    init(point: SweepPlan.Point, results: BuildResults, buildSeconds: Double) {
        self.init(
            name: point.name, settings: point.settings, configDigest: point.configDigest, results: results,
            buildSeconds: buildSeconds)
    }

    init(name: String, settings: [SweepSetting], configDigest: String, results: BuildResults, buildSeconds: Double) {
        self.name = name
        self.settings = Dictionary(uniqueKeysWithValues: settings.map { ($0.key, Value(toml: $0.value)) })
        accuracy = results.inference?.testAccuracy ?? results.training?.testAccuracy
        validationAccuracy = results.training?.validationAccuracy
        luts = results.resources?.luts
        encoderLuts = results.resources?.encoder?.luts
        flipFlops = results.resources?.flipFlops
        latencyCycles = results.inference?.latencyCycles
        logicLevels = results.resources?.logicLevels
        self.buildSeconds = buildSeconds
        pareto = false
        self.configDigest = configDigest
    }

    /// A point that could not be built: no measurements, the error and the log.
    init(failed point: SweepManifest.Point, error: String, log: String?, buildSeconds: Double = 0) {
        self.init(
            name: point.name, settings: point.settings, configDigest: point.configDigest, results: BuildResults(),
            buildSeconds: buildSeconds)
        self.error = error
        self.log = log
    }

    static func decode(_ data: Data) throws -> SweepPointResult {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(SweepPointResult.self, from: data)
    }

    /// One line of compact JSON (the `--json` output).
    public func jsonLine() throws -> String { try DeterministicJSON.line(self) }
}

/// All finished points of a sweep, in grid order, with the Pareto front marked.
public struct SweepResults: Codable, Sendable, Equatable {
    /// The swept keys, in `--set` order (the CSV's first columns).
    public var keys: [String]
    public var points: [SweepPointResult]

    public init(keys: [String], points: [SweepPointResult]) {
        self.keys = keys
        self.points = points
        markParetoFront()
    }

    /// Marks the points no other point dominates in (fewer LUTs, higher accuracy).
    mutating func markParetoFront() {
        for index in points.indices {
            guard let luts = points[index].luts, let accuracy = points[index].accuracy else {
                points[index].pareto = false
                continue
            }
            points[index].pareto = !points.contains { other in
                guard let otherLUTs = other.luts, let otherAccuracy = other.accuracy else { return false }
                return otherLUTs <= luts && otherAccuracy >= accuracy && (otherLUTs < luts || otherAccuracy > accuracy)
            }
        }
    }

    public func json() throws -> Data { try DeterministicJSON.snakeCaseFile(self) }

    /// Rewrites `results.json`, `results.csv` and the plot in `directory` (atomically).
    func write(to directory: URL, projectName: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try json().write(to: directory.appendingPathComponent("results.json"), options: .atomic)
        try Data(csv().utf8).write(to: directory.appendingPathComponent("results.csv"), options: .atomic)
        let title = "\(projectName): test accuracy against LUTs"
        try Data(SweepPlot.svg(self, title: title).utf8).write(
            to: directory.appendingPathComponent("accuracy_vs_luts.svg"), options: .atomic)
    }

    static func decode(_ data: Data) throws -> SweepResults {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(SweepResults.self, from: data)
    }

    /// One header row, then one row per point: the swept keys' values, then the measurements.
    public func csv() -> String {
        let header =
            keys + [
                "accuracy", "validation_accuracy", "luts", "encoder_luts", "flip_flops", "latency_cycles", "logic_levels",
                "build_seconds", "pareto", "point",
            ]
        let rows = points.map { point in
            let measured: [String] = [
                point.accuracy.map { String(format: "%.6f", $0) } ?? "", point.validationAccuracy.map { String(format: "%.6f", $0) } ?? "",
                point.luts.map(String.init) ?? "", point.encoderLuts.map(String.init) ?? "", point.flipFlops.map(String.init) ?? "",
                point.latencyCycles.map(String.init) ?? "", point.logicLevels.map(String.init) ?? "",
                String(format: "%.1f", point.buildSeconds), point.pareto ? "1" : "0", point.name,
            ]
            return keys.map { point.settings[$0]?.description ?? "" } + measured
        }
        return CSVWriter.table(header: header, rows: rows)
    }
}
