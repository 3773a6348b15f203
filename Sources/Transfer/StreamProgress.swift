import Foundation
import OCI

/// Progress for a terminal or a log: on a terminal, live per-blob lines (bytes, rate) redrawn
/// in place; elsewhere, one line per finished blob, suited to CI logs. Writes to stderr.
public final class StreamProgress: TransferProgress, @unchecked Sendable {
    private struct Active {
        var size: Int64
        var done: Int64 = 0
        var started = ContinuousClock.now
    }

    private let lock = NSLock()
    private let interactive: Bool
    private var active: [Digest: Active] = [:]
    private var order: [Digest] = []
    private var drawnLines = 0
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var finished = false

    /// `interactive` nil decides by whether stderr is a terminal.
    public init(interactive: Bool? = nil) {
        self.interactive = interactive ?? (isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb")
    }

    public func blobStarted(_ descriptor: Descriptor) {
        lock.withLock {
            active[descriptor.digest] = Active(size: descriptor.size)
            order.append(descriptor.digest)
            redraw(force: true)
        }
    }

    public func blobAdvanced(_ descriptor: Descriptor, bytes: Int) {
        lock.withLock {
            active[descriptor.digest]?.done += Int64(bytes)
            redraw(force: false)
        }
    }

    public func blobRestarted(_ descriptor: Descriptor, reason: String) {
        lock.withLock {
            active[descriptor.digest]?.done = 0
            emit("retrying \(descriptor.digest.short): \(reason)")
        }
    }

    public func blobFinished(_ descriptor: Descriptor, outcome: BlobOutcome) {
        lock.withLock {
            let entry = active.removeValue(forKey: descriptor.digest)
            order.removeAll { $0 == descriptor.digest }
            let size = ByteFormat.size(descriptor.size)
            switch outcome {
            case .copied:
                let seconds = entry.map { Self.seconds(ContinuousClock.now - $0.started) } ?? 0
                emit("copied  \(descriptor.digest.short)  \(size)  \(ByteFormat.rate(bytes: descriptor.size, seconds: seconds))")
            case .skipped:
                emit("exists  \(descriptor.digest.short)  \(size)")
            case .mounted:
                emit("mounted \(descriptor.digest.short)  \(size)")
            }
        }
    }

    public func manifestWritten(_ manifest: Manifest, tag: String?) {
        lock.withLock {
            emit("wrote manifest \(manifest.digest)" + (tag.map { " as \($0)" } ?? ""))
        }
    }

    public func finish() {
        lock.withLock {
            clear()
            finished = true
        }
    }

    // MARK: Drawing (lock held)

    private func emit(_ line: String) {
        guard !finished else { return }
        clear()
        write(line + "\n")
        redraw(force: true)
    }

    private func clear() {
        guard interactive, drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }

    private func redraw(force: Bool) {
        guard interactive, !finished else { return }
        let now = ContinuousClock.now
        guard force || now - lastDraw > .milliseconds(150) else { return }
        lastDraw = now
        clear()
        var text = ""
        for digest in order.prefix(12) {
            guard let entry = active[digest] else { continue }
            let seconds = Self.seconds(now - entry.started)
            let fraction = entry.size > 0 ? Double(entry.done) / Double(entry.size) : 1
            let bar = String(repeating: "=", count: Int(fraction * 20)).padding(toLength: 20, withPad: " ", startingAt: 0)
            text += "  \(digest.short) [\(bar)] \(ByteFormat.size(entry.done)) / \(ByteFormat.size(entry.size))  \(ByteFormat.rate(bytes: entry.done, seconds: seconds))\n"
            drawnLines += 1
        }
        write(text)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
