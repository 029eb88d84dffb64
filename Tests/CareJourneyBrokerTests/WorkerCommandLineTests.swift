import Testing

@testable import CareJourneyWorker

/// The worker's brokers on its command line and in its options: brokers, one for each node, and endpoints that are not endpoints refused.
@Suite struct WorkerCommandLineTests {
    @Test func eachBrokerGivenIsANodeInTheOrderGivenAndNoneMeansTheLocalOne() throws {
        let one = try #require(try WorkerCommandLine.parse([], defaultService: "brokerage"))
        #expect(one.options.brokers == ["tcp://127.0.0.1:5555"])
        let nodes = try #require(
            try WorkerCommandLine.parse(
                ["--broker", "tcp://10.0.0.5:5555", "--broker=tcp://10.0.0.6:5555", "--broker", "ipc:///run/cj/mdp"],
                defaultService: "brokerage"))
        #expect(nodes.options.brokers == ["tcp://10.0.0.5:5555", "tcp://10.0.0.6:5555", "ipc:///run/cj/mdp"])
    }

    @Test func aBrokerThatIsNotAnEndpointIsRefusedWithAnExample() {
        for arguments in [
            ["--broker"], ["--broker", "--verbose"], ["--broker", "10.0.0.5:5555"], ["--broker", "tcp://10.0.0.5"],
            ["--broker", "tcp://10.0.0.5:port"], ["--broker", "http://10.0.0.5:5555"], ["--broker", "tcp://"],
        ] {
            let error = #expect(throws: WorkerError.self, "\(arguments)") {
                try WorkerCommandLine.parse(arguments, defaultService: "brokerage")
            }
            #expect(error?.code == .usage)
            #expect(error?.message.contains("tcp://10.0.0.5:5555") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aKeyThatBeginsWithTwoDashesAndHoldsAnEqualsSignIsTakenWhole() throws {
        // Z85 has both '-' and '=': such a key once came apart at its '=' when given as `--curve-server KEY`.
        let key = "--wxaSI[3GC=00]e&}4Y@7pZj[V@Tabcdefghijk"
        let error = #expect(throws: WorkerError.self) {
            try WorkerCommandLine.parse(
                ["--curve-server", key, "--curve-secret-file", "/nonexistent/brokerage-1.secret"],
                defaultService: "brokerage")
        }
        #expect(error?.message.contains("unknown argument") == false, "\(error?.message ?? "")")
        #expect(error?.message.contains("/nonexistent/brokerage-1.secret") == true, "\(error?.message ?? "")")
    }

    @Test func aWorkerWithNoBrokerSaysSoInsteadOfWaitingForever() async {
        let worker = TaskWorker(options: WorkerOptions(brokers: [], service: "brokerage")) { _, _ in .done([:]) }
        let error = await #expect(throws: WorkerError.self) { try await worker.run() }
        #expect(error?.code == .noBroker)
        #expect(error?.message.contains("'brokerage' has no broker") == true)
    }
}
