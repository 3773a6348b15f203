/// `stopsignal:` the signal that stops the container: `SIGTERM`, `TERM` (read as `SIGTERM`),
/// `SIGRTMIN+3`, or a number from 1 to 64.
public struct StopSignalStep: Sendable, Hashable {
    /// `SIGTERM`-style name, or the number as text.
    public var signal: String

    public init(signal: String) {
        self.signal = signal
    }
}

extension StopSignalStep: CanonicallyEncodable {
    var canonical: CanonicalValue { .string(signal) }
}

extension StopSignalStep {
    /// Linux signal names.
    static let names = [
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGIOT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPOLL", "SIGPWR", "SIGSYS", "SIGRTMIN", "SIGRTMAX",
    ]

    static func parse(_ field: Field, in context: RecipeParseContext) -> StopSignalStep? {
        guard let text = field.nonEmptyString(in: context, expected: "a signal like SIGTERM or 15") else { return nil }
        if let number = Int(text) {
            guard (1...64).contains(number) else {
                context.report(field, "signal numbers go from 1 to 64 (got \(number))")
                return nil
            }
            return StopSignalStep(signal: String(number))
        }
        let upper = text.uppercased()
        let name = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        if names.contains(name) || isRealtime(name) { return StopSignalStep(signal: name) }
        context.report(
            field, "unknown signal \(Quoted.text(text))",
            suggestion: NameSuggestions.hint(for: name, in: names, noun: "signals"))
        return nil
    }

    /// `SIGRTMIN+N` / `SIGRTMAX-N`.
    private static func isRealtime(_ name: String) -> Bool {
        for base in ["SIGRTMIN+", "SIGRTMAX-"] where name.hasPrefix(base) {
            if let offset = Int(name.dropFirst(base.count)), (1...30).contains(offset) { return true }
        }
        return false
    }
}
