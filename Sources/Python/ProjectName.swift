import Foundation

/// PEP 503 name normalisation: runs of `-`, `_`, `.` become one `-`, letters lower-cased.
public enum ProjectName {
    /// `normalize("Torch_Geometric") == "torch-geometric"`.
    public static func normalize(_ name: String) -> String {
        var out = ""
        var pendingDash = false
        for c in name.lowercased() {
            if c == "-" || c == "_" || c == "." {
                pendingDash = true
            } else {
                if pendingDash { out.append("-") }
                pendingDash = false
                out.append(c)
            }
        }
        if pendingDash { out.append("-") }
        return out
    }

    /// The `.dist-info` / wheel file name form: normalised with `-` → `_` (`torch_geometric`).
    public static func wheelForm(_ name: String) -> String {
        normalize(name).replacingOccurrences(of: "-", with: "_")
    }

    /// PEP 508 name syntax: ASCII letters and digits, with `-_.` inside.
    public static func isValid(_ name: String) -> Bool {
        let u = Array(name.utf8)
        func alnum(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
        guard let f = u.first, let l = u.last, alnum(f), alnum(l) else { return false }
        return u.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }
}
