import Conda
import Foundation
import Pip

/// `recipe.lock`, next to `recipe.yml`: what each pip and conda step resolved to (wheels and
/// packages with their URLs and hashes), so a rebuild is reproducible and needs only those
/// URLs. JSON with sorted keys; entries in step order.
public struct RecipeLock: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    public var steps: [RecipeLockEntry]

    public init(steps: [RecipeLockEntry] = []) {
        version = Self.currentVersion
        self.steps = steps
    }

    /// `dir/recipe.yml` → `dir/recipe.lock`.
    public static func path(forRecipe file: String) -> String {
        let url = URL(fileURLWithPath: file)
        return url.deletingPathExtension().appendingPathExtension("lock").path
    }

    /// The lock at `path`; nil when there is none.
    public static func load(from path: String) throws -> RecipeLock? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lock: RecipeLock
        do {
            lock = try JSONDecoder().decode(RecipeLock.self, from: data)
        } catch {
            throw BuildError.unreadableLock(path: path, reason: "\(error)")
        }
        guard lock.version == currentVersion else {
            throw BuildError.unreadableLock(path: path, reason: "version \(lock.version), this smimg reads version \(currentVersion)")
        }
        return lock
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes the lock (temporary file, then rename).
    public func write(to path: String) throws {
        let data = try encoded()
        let temporary = path + ".tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw BuildError.storeFailed(path: path, reason: "cannot create the lock file")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw BuildError.storeFailed(path: path, reason: reason)
        }
    }
}

/// One step's resolution.
public struct RecipeLockEntry: Codable, Sendable, Equatable {
    /// Position in `steps:`, from 0.
    public var index: Int
    /// `pip` or `conda`.
    public var kind: String
    /// The step's definition digest: an edited step no longer matches its entry.
    public var definition: String
    /// What the resolution was for (`cp311-x86_64-glibc_2_36`, `linux-64`): a base with another
    /// interpreter or platform no longer matches.
    public var target: String
    public var wheels: [ResolvedWheel]?
    public var packages: [CondaPackageRecord]?
    /// The conda packages as a `conda list --explicit --md5` list (one line each), for
    /// `conda create --file` outside smimg.
    public var explicit: [String]?

    public init(
        index: Int, kind: String, definition: String, target: String, wheels: [ResolvedWheel]? = nil,
        packages: [CondaPackageRecord]? = nil, explicit: [String]? = nil
    ) {
        self.index = index
        self.kind = kind
        self.definition = definition
        self.target = target
        self.wheels = wheels
        self.packages = packages
        self.explicit = explicit
    }
}
