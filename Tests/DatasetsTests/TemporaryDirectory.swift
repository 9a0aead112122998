import Foundation
import TestSupport

/// A data test's folder (`Sandbox`).
typealias TemporaryDirectory = Sandbox

extension Sandbox {
    init() throws { try self.init("datasets") }

    /// Writes `bytes` to `name` and returns its URL.
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL { try write(name, bytes: bytes) }

    func write(_ name: String, text: String) throws -> URL { try write(name, text) }
}
