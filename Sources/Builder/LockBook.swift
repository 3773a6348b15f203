import Foundation
import Recipe

/// A build's view of `recipe.lock`: steps read their entries from it and record new ones; the
/// builder writes it back when something changed. With `locked`, a step whose entry is missing
/// or stale fails instead of resolving (`smimg build --locked`).
final class LockBook: @unchecked Sendable {
    let path: String
    let isLocked: Bool
    private let lock = NSLock()
    private let original: RecipeLock
    private var entries: [Int: RecipeLockEntry]

    init(path: String, locked: Bool) throws {
        self.path = path
        isLocked = locked
        original = try RecipeLock.load(from: path) ?? RecipeLock()
        entries = Dictionary(original.steps.map { ($0.index, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The entry for the step, when it was resolved for this definition and target.
    func entry(for step: RecipeStep, kind: String, target: String) -> RecipeLockEntry? {
        lock.withLock {
            guard let entry = entries[step.index], entry.kind == kind, entry.definition == step.definitionDigest.description,
                  entry.target == target
            else { return nil }
            return entry
        }
    }

    /// The entry for the step, or nil when the step must be resolved; with `--locked`, a missing
    /// or stale entry is an error at `location` instead.
    func usableEntry(for step: RecipeStep, kind: String, target: String, location: SourceLocation) throws -> RecipeLockEntry? {
        if let entry = entry(for: step, kind: kind, target: target) { return entry }
        if isLocked { throw BuildError.lockOutdated(location, reason: staleness(for: step, kind: kind, target: target)) }
        return nil
    }

    /// Why `entry(for:)` found nothing, for `--locked` errors.
    func staleness(for step: RecipeStep, kind: String, target: String) -> String {
        lock.withLock {
            guard let entry = entries[step.index] else { return "\(path) has no entry for this step" }
            if entry.kind != kind { return "\(path) records a \(entry.kind) step at this position" }
            if entry.definition != step.definitionDigest.description { return "the step changed since \(path) was written" }
            return "\(path) was resolved for \(entry.target), the base now gives \(target)"
        }
    }

    func record(_ entry: RecipeLockEntry) {
        lock.withLock { entries[entry.index] = entry }
    }

    /// The lock as it should be after this build: entries for steps that still exist.
    func current(stepCount: Int) -> RecipeLock {
        lock.withLock {
            RecipeLock(steps: entries.values.filter { $0.index < stepCount }.sorted { $0.index < $1.index })
        }
    }

    /// Writes the lock when it differs from what was read; returns whether it wrote.
    @discardableResult
    func writeIfChanged(stepCount: Int) throws -> Bool {
        let updated = current(stepCount: stepCount)
        guard updated != original, !(updated.steps.isEmpty && !FileManager.default.fileExists(atPath: path)) else { return false }
        try updated.write(to: path)
        return true
    }
}
