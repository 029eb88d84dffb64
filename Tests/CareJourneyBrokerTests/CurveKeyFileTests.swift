import CareJourneyFiles
import CareJourneyKit
import Foundation
import Testing
import CareJourneyTestSupport
import ZeroMQ

@testable import CareJourneyBroker

/// The broker's key file: what each key may do, and who may read the file.
@Suite struct CurveKeyFileTests {
    func path() -> String {
        temporaryPath("keys.yaml")
    }

    @Test func aPeerListsWhatItServesWhatItCallsAndWhichStreamItReads() throws {
        let file = path()
        var keys = try CurveKeyFile.generate(path: file)
        let worker = try keys.admit("brokerage-1", serve: ["brokerage"])
        let desk = try keys.admit("desk", call: ["brokerage", "advocacy"], subscribe: .full)
        try OwnerOnlyFile.write(keys.text, to: file)
        let read = try CurveKeyFile.load(file)
        #expect(read == keys)
        #expect(read.peers[worker.publicKey] == .init(name: "brokerage-1", serve: ["brokerage"], subscribe: .minimal))
        #expect(read.peers[desk.publicKey] == .init(name: "desk", call: ["advocacy", "brokerage"], subscribe: .full))
        #expect(throws: FileError.self) { try keys.admit("mmi", serve: ["mmi.service"]) }
        #expect(throws: FileError.self) { try keys.admit("odd", call: ["a\nb"]) }
    }

    @Test func aFileOthersMayReadIsRefusedWithTheFix() throws {
        let file = path()
        try OwnerOnlyFile.write(try CurveKeyFile.generate(path: file).text, to: file)
        #expect(throws: Never.self) { try CurveKeyFile.load(file) }
        for mode in [0o640, 0o604, 0o620] {
            chmod(file, mode_t(mode))
            let error = try #require(throws: FileError.self) { try CurveKeyFile.load(file) }
            #expect(error.code == .insecure)
            #expect(error.description.contains("chmod 600 \(file)"), "\(error)")
        }
    }

    @Test func theOldFormatIsRefusedWithTheFix() throws {
        let file = path()
        let server = try ZMQCurve.keyPair()
        let peer = try ZMQCurve.keyPair()
        try OwnerOnlyFile.write(
            """
            server:
              public: "\(server.publicKey)"
              secret: "\(server.secretKey)"
            peers:
              brokerage-1:
                public: "\(peer.publicKey)"
                services: [brokerage]
            """, to: file)
        let error = try #require(throws: FileError.self) { try CurveKeyFile.load(file) }
        #expect(error.key == "peers.brokerage-1.services")
        #expect(error.line == 7)
        #expect(error.description.contains("rename 'services:' to 'serve:'"), "\(error)")
        #expect(error.description.contains("'call:'"), "\(error)")
    }

    @Test func unknownKeysAndStreamsAreRefused() throws {
        let file = path()
        let server = try ZMQCurve.keyPair()
        let peer = try ZMQCurve.keyPair()
        for (fields, key) in [
            ("serve: [brokerage]\n    calls: [x]", "peers.p.calls"), ("subscribe: everything", "peers.p.subscribe"),
        ] {
            try OwnerOnlyFile.write(
                "server:\n  secret: \"\(server.secretKey)\"\npeers:\n  p:\n    public: \"\(peer.publicKey)\"\n    \(fields)\n",
                to: file)
            let error = try #require(throws: FileError.self) { try CurveKeyFile.load(file) }
            #expect(error.key == key, "\(error)")
        }
    }

    @Test func eachSocketAdmitsTheKeysMeantForItUnderItsOwnZAPDomain() throws {
        var keys = try CurveKeyFile.generate(path: "keys.yaml")
        let none = try keys.admit("worker", serve: ["brokerage"], subscribe: .none)
        let minimal = try keys.admit("dashboard", subscribe: .minimal)
        let full = try keys.admit("audit", subscribe: .full)
        let stranger = try ZMQCurve.keyPair()
        let admission = BrokerAdmission(policyQueues: ["brokerage"], curve: keys)
        func admitted(_ key: String, _ socket: BrokerAdmission.Socket) -> String? {
            admission.admit(publicKey: try! #require(ZMQCurve.decode(key)), zapDomain: socket.zapDomain)
        }
        #expect(admitted(none.publicKey, .mdp) == "worker")
        #expect(admitted(none.publicKey, .events) == nil)
        #expect(admitted(none.publicKey, .fullEvents) == nil)
        #expect(admitted(minimal.publicKey, .events) == "dashboard")
        #expect(admitted(minimal.publicKey, .fullEvents) == nil)
        #expect(admitted(full.publicKey, .events) == "audit")
        #expect(admitted(full.publicKey, .fullEvents) == "audit")
        for socket in BrokerAdmission.Socket.allCases { #expect(admitted(stranger.publicKey, socket) == nil) }
        #expect(admission.admit(publicKey: try #require(ZMQCurve.decode(full.publicKey)), zapDomain: "other") == nil)
    }
}
