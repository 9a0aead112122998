import Foundation

/// The JSON encoders lutbuild writes with, configured here once. Keys are
/// sorted in every style, so equal values give equal bytes: stored outputs,
/// keys and published reports are deterministic.
public enum DeterministicJSON {
    /// Compact: step parameters, keys and small stored objects.
    public static func compact<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// Pretty-printed and newline-terminated: report files people read and diff.
    public static func file<T: Encodable>(_ value: T) throws -> Data {
        try fileEncoder().encode(value) + Data("\n".utf8)
    }

    /// The encoder behind `file`, for a report that needs its own key strategy.
    public static func fileEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    /// One line with snake_case keys: event lines and result rows for machines.
    public static func line<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try lineEncoder.encode(value), as: UTF8.self)
    }

    /// Pretty snake_case: result files machines and people both read.
    public static func snakeCaseFile<T: Encodable>(_ value: T) throws -> Data {
        let encoder = fileEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(value) + Data("\n".utf8)
    }

    private static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()
}
