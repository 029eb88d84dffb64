import CareJourneyCore
import CareJourneyFiles
import CareJourneyKit
import CareJourneyWire
import Foundation
import Testing
import ZeroMQ
import CareJourneyTestSupport

@testable import CareJourneyBroker
@testable import CareJourneyWorker

/// A worker's secret key comes from a file only its owner may read, never from the command line.
@Suite(.serialized) struct WorkerSecretTests {
    /// A key file admitting `brokerage-1` for brokerage, and the secret file `keys admit` would write for it. The
    /// broker's public key begins with '-' (one in 85 do), which a command line could take for a flag.
    func admitted(secretMode: Int = 0o600) throws -> (keys: CurveKeyFile, secretFile: String, publicKey: String) {
        let directory = temporaryDirectory()
        var keys = try CurveKeyFile.generate(path: "\(directory)/keys.yaml")
        while !keys.serverPublicKey.hasPrefix("-") { keys = try CurveKeyFile.generate(path: keys.path) }
        let pair = try keys.admit("brokerage-1", serve: ["brokerage"])
        let secretFile = "\(directory)/brokerage-1.secret"
        try OwnerOnlyFile.write("# the CURVE secret key of 'brokerage-1'\n\(pair.secretKey)\n", to: secretFile)
        chmod(secretFile, mode_t(secretMode))
        return (keys, secretFile, pair.publicKey)
    }

    @Test func aSecretOnTheCommandLineIsRefusedWithHowToSwitch() throws {
        for flag in ["--curve-secret", "--curve-public"] {
            let error = try #require(throws: WorkerError.self) {
                try WorkerCommandLine.parse(["--curve-server", "x", flag, "y"], defaultService: "brokerage")
            }
            #expect(error.message.contains("--curve-secret-file FILE"), "\(error.message)")
            #expect(error.message.contains("chmod 600"), "\(error.message)")
        }
    }

    @Test func theSecretFileIsReadOnlyWhenItsOwnerAloneMayReadIt() throws {
        let (keys, secretFile, publicKey) = try admitted()
        let parsed = try #require(
            try WorkerCommandLine.parse(
                ["--curve-server=\(keys.serverPublicKey)", "--curve-secret-file", secretFile], defaultService: "brokerage"
            ))
        #expect(parsed.options.curve?.publicKey == publicKey, "the public key is derived from the secret")
        #expect(parsed.options.curve?.serverPublicKey == keys.serverPublicKey)
        for mode in [0o640, 0o604, 0o602] {
            chmod(secretFile, mode_t(mode))
            let error = try #require(throws: WorkerError.self) {
                try WorkerCommandLine.parse(
                    ["--curve-server", keys.serverPublicKey, "--curve-secret-file", secretFile],
                    defaultService: "brokerage")
            }
            #expect(error.message.contains("chmod 600 \(secretFile)"), "\(error.message)")
        }
    }

    @Test func thePythonWorkerReadsItsSecretFromAFileAndServesACurveBroker() async throws {
        let (keys, secretFile, _) = try admitted()
        // Heartbeats of a second on both sides (a worker taken for dead after three): a slow moment does not drop the
        // worker and make it shake hands again.
        var options = fastOptions(heartbeat: .seconds(1))
        options.curve = keys
        try await withBroker(options: options) { harness in
            let (_, task) = try await harness.caseWithABrokerageTask()
            func python(_ arguments: [String]) throws -> Process {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments =
                    ["python3", Repository.root.appendingPathComponent("examples/workers/python/mdp_worker.py").path]
                    + ["--broker", harness.endpoint, "--service", "brokerage", "--heartbeat", "1"] + arguments
                process.standardOutput = Pipe()
                process.standardError = Pipe()
                try process.run()
                return process
            }
            // A secret on the command line is refused.
            let refused = try python(["--curve-server=\(keys.serverPublicKey)", "--curve-secret", "x"])
            refused.waitUntilExit()
            #expect(refused.terminationStatus == 2)
            // A secret file others may read is refused.
            chmod(secretFile, 0o644)
            let exposed = try python(["--curve-server=\(keys.serverPublicKey)", "--curve-secret-file", secretFile])
            exposed.waitUntilExit()
            #expect(exposed.terminationStatus != 0)
            let said = String(
                decoding: (exposed.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(said.contains("chmod 600"), "\(said)")
            // From its own file, it serves.
            chmod(secretFile, 0o600)
            let worker = try python(["--curve-server=\(keys.serverPublicKey)", "--curve-secret-file", secretFile])
            #expect(try await harness.eventually(10) { try await harness.status(of: task) == "completed" })
            #expect(try await harness.eventually { harness.broker.snapshot.workers.map(\.name) == ["brokerage-1"] })
            kill(worker.processIdentifier, SIGKILL)
            worker.waitUntilExit()
        }
    }
}
