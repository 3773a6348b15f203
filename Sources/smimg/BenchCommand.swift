import ArgumentParser

/// `smimg bench ...`: measurements the scripts in benchmarks/ drive and compare against
/// reference tools in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark building blocks (used by benchmarks/*.sh).",
        subcommands: [LayerBenchCommand.self])
}
