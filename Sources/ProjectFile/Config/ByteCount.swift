import Foundation

/// Human-readable sizes in binary units: `32 MiB`, `150.7 KiB`.
enum ByteCount {
    package static func text(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        // Formatting, not Int(value): absurd table sizes exceed Int.max.
        return String(format: value == value.rounded() ? "%.0f %@" : "%.1f %@", value, units[unit])
    }
}
