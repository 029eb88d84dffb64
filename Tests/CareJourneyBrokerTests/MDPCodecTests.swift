import CareJourneyCore
import CareJourneyWire
import Foundation
import Testing

/// The Majordomo codec, frame by frame, against RFC 7 (MDP/0.1) and RFC 18 (MDP/0.2).
@Suite struct MDPCodecTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func workerCommandsHaveEachVersionsFramesAndCodes() {
        // 0.1: an empty frame first; REPLY 0x03, HEARTBEAT 0x04, DISCONNECT 0x05.
        #expect(MDP.fromWorker(.v01, .ready, service: "echo") == [[], bytes("MDPW01"), [0x01], bytes("echo")])
        #expect(MDP.fromWorker(.v01, .final, client: [9], body: [[1]]) == [[], bytes("MDPW01"), [0x03], [9], [], [1]])
        #expect(MDP.heartbeat(.v01) == [[], bytes("MDPW01"), [0x04]])
        #expect(MDP.disconnect(.v01) == [[], bytes("MDPW01"), [0x05]])
        // 0.2: no empty frame; PARTIAL 0x03, FINAL 0x04, HEARTBEAT 0x05, DISCONNECT 0x06.
        #expect(MDP.fromWorker(.v02, .ready, service: "echo") == [bytes("MDPW02"), [0x01], bytes("echo")])
        #expect(MDP.fromWorker(.v02, .partial, client: [9], body: [[1]]) == [bytes("MDPW02"), [0x03], [9], [], [1]])
        #expect(MDP.fromWorker(.v02, .final, client: [9], body: [[1]]) == [bytes("MDPW02"), [0x04], [9], [], [1]])
        #expect(MDP.heartbeat(.v02) == [bytes("MDPW02"), [0x05]])
        #expect(MDP.disconnect(.v02) == [bytes("MDPW02"), [0x06]])
        #expect(MDP.request(.v02, client: [7], body: [[2]]) == [bytes("MDPW02"), [0x02], [7], [], [2]])
        #expect(MDP.request(.v01, client: [7], body: [[2]]) == [[], bytes("MDPW01"), [0x02], [7], [], [2]])
    }

    @Test func aTaskRequestsBodyIsItsFieldsJSONTextWithSortedKeys() throws {
        let due = Date(timeIntervalSince1970: 1_767_603_600)
        for request in [
            TaskRequest(
                task: "case-1#2", caseID: "case-1", queue: "brokerage", kind: "find-provider", attempt: 2,
                createdAt: due, due: due, detail: "annual", brief: ["services": ["home care"], "name": "A \"B\""],
                dueDay: LocalDate("2026-01-05"), timeZone: "Europe/London"),
            TaskRequest(
                task: "case-2#1", caseID: "case-2", queue: "q", kind: "k", attempt: 1, createdAt: due, due: nil,
                detail: nil, brief: [:]),
        ] {
            let body = request.encoded()
            // Written as `serialized()` writes any object (keys sorted), and read back to the same request.
            #expect(try JSONValue.parse(body).serialized() == body)
            #expect(try TaskRequest.decode(body) == request)
        }
    }

    @Test func whatWorkersSendParsesBack() {
        for version in [MDP.Version.v01, .v02] {
            #expect(
                MDP.parse(MDP.fromWorker(version, .ready, service: "echo"))
                    == .success(.ready(version: version, service: "echo")))
            #expect(
                MDP.parse(MDP.fromWorker(version, .final, client: [9], body: [[1]]))
                    == .success(.reply(version: version, client: [9], body: [[1]], final: true)))
            #expect(MDP.parse(MDP.heartbeat(version)) == .success(.heartbeat(version: version)))
            #expect(MDP.parse(MDP.disconnect(version)) == .success(.disconnect(version: version)))
            #expect(
                MDP.parseForWorker(MDP.request(version, client: [7], body: [[2]]), version: version)
                    == .success(.request(client: [7], body: [[2]])))
        }
        #expect(
            MDP.parse(MDP.fromWorker(.v02, .partial, client: [9], body: [[1]]))
                == .success(.reply(version: .v02, client: [9], body: [[1]], final: false)))
    }

    @Test func clientsOfBothVersionsAreReadAndAnsweredInTheirOwn() {
        #expect(
            MDP.parse([[], bytes("MDPC01"), bytes("echo"), [1]])
                == .success(.request(version: .v01, service: "echo", body: [[1]])))
        #expect(
            MDP.parse([bytes("MDPC02"), [0x01], bytes("echo"), [1]])
                == .success(.request(version: .v02, service: "echo", body: [[1]])))
        #expect(
            MDP.reply(.v01, service: "echo", body: [[1]], final: true) == [[], bytes("MDPC01"), bytes("echo"), [1]])
        #expect(
            MDP.reply(.v02, service: "echo", body: [[1]], final: false) == [
                bytes("MDPC02"), [0x02], bytes("echo"), [1],
            ])
        #expect(
            MDP.reply(.v02, service: "echo", body: [[1]], final: true) == [bytes("MDPC02"), [0x03], bytes("echo"), [1]])
    }

    @Test(
        arguments: [
            ([[UInt8]](), "unknown protocol header"),
            ([[], Array("MDPX01".utf8)], "unknown protocol header"),
            ([Array("MDPW01".utf8), [0x01], Array("echo".utf8)], "unknown protocol header"),  // 0.1 needs its empty frame
            ([Array("MDPW02".utf8)], "without a one-byte command"),
            ([Array("MDPW02".utf8), [0x07]], "unknown worker command 0x7"),
            ([Array("MDPW02".utf8), [0x01]], "READY must name one service"),
            ([Array("MDPW02".utf8), [0x04], [9]], "without the empty frame"),
            ([Array("MDPW02".utf8), [0x02], [9], []], "sent by the broker"),
            ([Array("MDPC02".utf8), [0x03], Array("echo".utf8)], "is not REQUEST"),
            ([[], Array("MDPC01".utf8)], "without a service name"),
        ] as [([[UInt8]], String)])
    func malformedMessagesSayWhy(frames: [[UInt8]], reason: String) {
        guard case .failure(let malformed) = MDP.parse(frames) else {
            Issue.record("\(frames) parsed")
            return
        }
        #expect(malformed.reason.contains(reason), "\(malformed.reason)")
    }
}
