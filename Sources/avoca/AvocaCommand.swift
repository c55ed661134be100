import ArgumentParser

/// The `avoca` command line. Each subcommand is a thin shell over the AvocaServer library.
@main
struct AvocaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avoca",
        abstract: "Avoca: the call desk for home-services customer-service reps.",
        version: "avoca (\(buildConfiguration) build)",
        subcommands: [ServeCommand.self, MigrateCommand.self, APIKeyCommand.self, SeedCommand.self, BenchCommand.self, SimulateCommand.self],
        defaultSubcommand: ServeCommand.self)

    /// Which build this binary is: benchmarks report it, since figures only count from release builds.
    #if DEBUG
        static let buildConfiguration = "debug"
    #else
        static let buildConfiguration = "release"
    #endif
}
