import Foundation
import Testing
import ZeroMQ

/// `ZMQPoller` on real sockets: a socket's descriptor signals once for messages that came together (edge-triggered),
/// so the poller must still see the messages left after one is read.
@Suite struct ZMQPollerTests {
    @Test func messagesLeftAfterOneIsReadAreSeenWithoutANewSignal() throws {
        let context = ZMQContext()
        let receiver = try ZMQSocket(context, .pair)
        defer { receiver.close() }
        try receiver.bind("tcp://127.0.0.1:*")
        let sender = try ZMQSocket(context, .pair)
        defer { sender.close() }
        try sender.connect(receiver.lastEndpoint)

        let poller = try ZMQPoller()
        try poller.add(receiver)
        #expect(try poller.wait(milliseconds: 50) == [false], "nothing sent yet")

        for number in 1...3 { try sender.send([Array("message \(number)".utf8)]) }
        // All three arrive before the first wait: their descriptor signals once.
        Thread.sleep(forTimeInterval: 0.3)
        var read: [String] = []
        for _ in 1...3 {
            // One poller waited on again and again, as the broker's and the worker's are.
            #expect(try poller.wait(milliseconds: 2000) == [true], "after \(read)")
            let message = try #require(try receiver.receive(dontWait: true))
            read.append(String(decoding: message.frames[0], as: UTF8.self))
        }
        #expect(read == ["message 1", "message 2", "message 3"])
        #expect(try poller.wait(milliseconds: 100) == [false], "all three read")
    }
}
