/// The packages a prefix should contain after a solve, and how that differs from what it has.
public struct CondaSolution: Sendable, Hashable {
    /// Every package of the environment (virtual packages excluded), dependencies before their
    /// dependents; ties and cycles in name order.
    public var records: [CondaPackageRecord]
    /// Records to link: in `records` but not installed as the same build from the same channel.
    public var toInstall: [CondaPackageRecord]
    /// Installed records to unlink: replaced by another build or no longer part of the environment.
    public var toRemove: [CondaPackageRecord]

    public init(records: [CondaPackageRecord], toInstall: [CondaPackageRecord], toRemove: [CondaPackageRecord]) {
        self.records = records
        self.toInstall = toInstall
        self.toRemove = toRemove
    }

    /// The chosen record for a package name.
    public subscript(name: String) -> CondaPackageRecord? {
        records.first { $0.name == name }
    }
}
