import Foundation

/// Runs libarchive calls under a UTF-8 character type for the calling thread only
/// (`uselocale`), so that UTF-8 entry names survive libarchive's multibyte conversions: under
/// the default "C" locale, writing a non-ASCII name makes libarchive dereference a NULL name.
enum UTF8Locale {
    /// `LC_CTYPE_MASK` (`1 << LC_CTYPE`), a macro Swift does not import.
    private static let characterTypeMask: Int32 = 1 << 0

    nonisolated(unsafe) private static let handle: locale_t? = {
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] {
            if let locale = newlocale(characterTypeMask, name, nil) { return locale }
        }
        return nil
    }()

    static var isAvailable: Bool { handle != nil }

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        guard let handle else { return try body() }
        let previous = uselocale(handle)
        defer { uselocale(previous) }
        return try body()
    }
}
