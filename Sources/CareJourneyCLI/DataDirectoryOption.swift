import ArgumentParser

/// `--data-dir DIR`, shared by the commands that use the store.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The folder holding the store.")
    var path = "./carejourney-data"
}
