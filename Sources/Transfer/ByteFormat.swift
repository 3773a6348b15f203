import Foundation

/// Human-readable sizes and rates for progress output.
public enum ByteFormat {
    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    public static func rate(bytes: Int64, seconds: Double) -> String {
        guard seconds > 0.001 else { return "-" }
        return size(Int64(Double(bytes) / seconds)) + "/s"
    }
}
