/// A region: its partition (and so its DNS suffix) and the account of the Deep Learning
/// Containers registry serving it, when one is known.
public struct CatalogRegion: Sendable, Hashable {
    public let name: String
    public let displayName: String?
    public let partition: CatalogPartition
    public let dlcAccount: String?
    public let note: String?

    public init(name: String, displayName: String?, partition: CatalogPartition, dlcAccount: String?, note: String?) {
        self.name = name
        self.displayName = displayName
        self.partition = partition
        self.dlcAccount = dlcAccount
        self.note = note
    }

    public var dnsSuffix: String { partition.dnsSuffix }
}
