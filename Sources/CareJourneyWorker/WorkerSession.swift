import CareJourneyWire
import Foundation
import Logging

/// A worker's MDP sessions with the broker (RFC 7 and RFC 18), as a state machine: inputs in (frames from the
/// broker, the handler's replies, a stop, ticks), each with the time it happens, and actions out (connect, send,
/// close, hand a request to the handler, log, finish). It neither logs nor reads the clock nor touches a socket:
/// `MDPWorker` feeds it on its socket thread and carries out what it asks, and tests feed it by hand on a clock
/// they move.
///
/// Each of `options.slots` slots is one MDP worker with a connection of its own: it says READY when connected,
/// holds at most one request, sends the handler's partial replies (MDP/0.2) and its final reply, and heartbeats.
/// A connection on which the broker is silent for `liveness` heartbeats, or which the broker told to DISCONNECT,
/// is closed and opened again after a delay that doubles at each loss (up to `maxReconnectDelay`) and is back to
/// `reconnectDelay` once the broker is heard. With several brokers (`options.brokers`, one for each node), slot `i`
/// starts on broker `i` modulo their number, and a slot whose broker went silent connects to the next one in the
/// list; so does one whose broker refused it (said DISCONNECT before any heartbeat or request on the connection: an
/// unknown service, a key that broker does not admit, too many workers), with the wait doubling as for a silent one,
/// rather than saying READY to it again every 100 ms. A broker that says DISCONNECT to a worker it had answered is
/// alive (it restarted, say): the slot connects to it again after the first wait. A slot that moved serves the broker
/// it moved to for `returnHomeAfter`, then, with no request in hand, says DISCONNECT there and goes back to its own
/// (the one it started on): after a node comes back, its slots return to it. While its own broker does not take it
/// (silent or refusing), it moves on again and the wait before the next return doubles, up to 16 times the first;
/// once its own broker answers, the wait is the first again. A request in hand on a lost connection
/// is given up: the broker has taken its lease back, so a reply to it is dropped rather than sent on the new
/// connection. On `.stop` the
/// session takes no more requests, finishes those in hand, says DISCONNECT on every connection and finishes.
///
/// Time is wall time (`Date`), as the broker's: heartbeats, silence and reconnections are deadlines on it, and
/// `nextDeadline()` says when the next falls due.
struct WorkerSession {
    /// What happens to the worker.
    enum Input: Sendable {
        /// Frames the broker sent on a slot's connection.
        case received(slot: Int, frames: [[UInt8]])
        /// The handler's reply to the request numbered `request` (as `Action.answer` gave it): partial (progress)
        /// or final.
        case replied(slot: Int, request: Int, body: [[UInt8]], final: Bool)
        /// Finish the requests in hand, say DISCONNECT and finish.
        case stop
        /// Time passed: heartbeats to send, a silent broker, reconnections due.
        case tick
    }

    /// What the worker is to do.
    enum Action: Equatable {
        /// Open a connection for the slot to the broker at `endpoint`.
        case connect(slot: Int, endpoint: String)
        /// Frames for the broker on the slot's connection.
        case send(slot: Int, frames: [[UInt8]])
        /// Close the slot's connection, after sending `farewell` if it can go at once (the broker may be gone).
        case close(slot: Int, farewell: [[UInt8]]?)
        /// Hand a request to the handler; its replies come back as `Input.replied` with this slot and number.
        case answer(slot: Int, request: Int, body: [[UInt8]])
        /// A line for the worker's log.
        case log(Logger.Level, String, Logger.Metadata)
        /// Every request is answered and every connection closed: the session is over.
        case finish
    }

    /// Where a slot's connection stands.
    private enum Link {
        /// Connected; the broker was last heard then (or the connection opened).
        case connected(heard: Date)
        /// The broker said DISCONNECT after answering on this connection: it is to be replaced, to the same broker.
        case toldToReconnect
        /// The broker said DISCONNECT before answering anything on this connection: it turned the worker away, and
        /// the next broker is tried.
        case refused
        /// No connection: one is opened then.
        case waiting(until: Date)
    }

    private struct Slot {
        var link: Link
        /// The broker the slot connects to: its place in `options.brokers`.
        var broker: Int
        /// The broker the slot started on, and goes back to after it moved.
        let home: Int
        /// When the slot, on another broker than its own, next goes back to its own.
        var returnAt: Date?
        /// The wait before the next return, in seconds: doubled each time its own broker does not take it back.
        var returnWait: TimeInterval
        /// Whether the broker has answered on this connection (a heartbeat or a request): a DISCONNECT before that is
        /// a refusal.
        var answered = false
        /// The request in hand: its number, and the client address its replies go to.
        var inHand: (request: Int, client: [UInt8])?
    }

    let options: WorkerOptions
    private var slots: [Slot]
    private var nextHeartbeat: Date
    /// The wait before the next reconnection.
    private var delay: Duration
    private var stopping = false
    private var finished = false
    /// The number of the last request taken, on any slot.
    private var lastRequest = 0
    /// What the worker has done so far.
    private(set) var statistics = MDPWorker.Statistics()
    /// The caller's buffer, lent for the length of one `on(_:now:into:)`: the rules append to it.
    private var actions: [Action] = []

    /// A session for `options`, starting at `now`: the first `.tick` connects every slot.
    init(options: WorkerOptions, now: Date) {
        self.options = options
        let brokers = max(1, options.brokers.count)
        let returnWait = options.returnHomeAfter / .seconds(1)
        slots = (0..<max(1, options.slots)).map {
            Slot(link: .waiting(until: now), broker: $0 % brokers, home: $0 % brokers, returnWait: returnWait)
        }
        nextHeartbeat = now + options.heartbeat / .seconds(1)
        delay = options.reconnectDelay
        silenceLimit = options.heartbeat * options.liveness / .seconds(1)
    }

    /// Slots, numbered from 0.
    var slotCount: Int { slots.count }

    /// Takes one input, at `now`, and appends the actions it calls for to `actions`, in the order they are to be
    /// carried out. The caller keeps one buffer and empties it (keeping its capacity) once it has carried them
    /// out, so that a message costs no array of its own.
    mutating func on(_ input: Input, now: Date, into actions: inout [Action]) {
        guard !finished else { return }
        swap(&self.actions, &actions)
        defer { swap(&self.actions, &actions) }
        switch input {
        case .received(let slot, let frames):
            received(frames, on: slot, now: now)
        case .replied(let slot, let request, let body, let final):
            replied(body, to: request, on: slot, final: final)
        case .stop:
            stopping = true
            finishIfIdle()
        case .tick:
            tick(now: now)
        }
    }

    /// When a `.tick` next has something to do.
    func nextDeadline() -> Date {
        guard !finished else { return .distantFuture }
        var deadline = nextHeartbeat
        for slot in slots {
            switch slot.link {
            case .connected(let heard): deadline = min(deadline, heard + silenceLimit)
            case .toldToReconnect, .refused: return .distantPast
            case .waiting(let until): deadline = min(deadline, until)
            }
            // A return waits for the request in hand (its reply wakes the session) and for a connection; a stopping
            // session goes nowhere.
            if let returnAt = slot.returnAt, !stopping, slot.inHand == nil, case .connected = slot.link {
                deadline = min(deadline, returnAt)
            }
        }
        return deadline
    }

    // MARK: - Inputs

    private mutating func received(_ frames: [[UInt8]], on slot: Int, now: Date) {
        guard case .connected = slots[slot].link else { return }
        slots[slot].link = .connected(heard: now)
        let message = MDP.parseForWorker(frames, version: options.version)
        switch message {
        case .success(.request), .success(.heartbeat):
            // Taken: the waits start again from the first.
            slots[slot].answered = true
            delay = options.reconnectDelay
            if slots[slot].broker == slots[slot].home {
                slots[slot].returnAt = nil
                slots[slot].returnWait = options.returnHomeAfter / .seconds(1)
            }
        default: break
        }
        switch message {
        case .success(.request(let client, let body)):
            guard slots[slot].inHand == nil, !stopping else {
                log(.warning, "request while busy or stopping: dropped (the broker will re-lease it)", [:])
                return
            }
            lastRequest += 1
            statistics.requests += 1
            slots[slot].inHand = (lastRequest, client)
            actions.append(.answer(slot: slot, request: lastRequest, body: body))
        case .success(.heartbeat):
            break
        case .success(.disconnect) where slots[slot].answered:
            log(.info, "the broker asked this worker to reconnect", ["service": "\(options.service)"])
            delay = options.reconnectDelay
            slots[slot].link = .toldToReconnect
        case .success(.disconnect):
            slots[slot].link = .refused
        case .failure(let malformed):
            log(.warning, "dropped a malformed message from the broker: \(malformed)", [:])
        }
    }

    private mutating func replied(_ body: [[UInt8]], to request: Int, on slot: Int, final: Bool) {
        guard let (number, client) = slots[slot].inHand, number == request else {
            log(
                .debug, "a reply to a request no longer in hand (answered already, or its connection lost): dropped",
                [:])
            return
        }
        guard final else {
            if options.version == .v02 {
                actions.append(.send(slot: slot, frames: MDP.fromWorker(.v02, .partial, client: client, body: body)))
            }
            return
        }
        actions.append(.send(slot: slot, frames: MDP.fromWorker(options.version, .final, client: client, body: body)))
        slots[slot].inHand = nil
        statistics.replies += 1
        finishIfIdle()
    }

    private mutating func tick(now: Date) {
        reconnectLost(now: now)
        returnHome(now: now)
        finishIfIdle()
        guard !finished else { return }
        if !stopping {
            for slot in slots.indices {
                guard case .waiting(let until) = slots[slot].link, until <= now else { continue }
                // Due back home while it was reconnecting elsewhere: it goes home, not there first.
                if let returnAt = slots[slot].returnAt, returnAt <= now {
                    slots[slot].returnAt = nil
                    slots[slot].broker = slots[slot].home
                }
                connect(slot, now: now)
            }
        }
        if now >= nextHeartbeat {
            for slot in slots.indices {
                if case .connected = slots[slot].link {
                    actions.append(.send(slot: slot, frames: MDP.fromWorker(options.version, .heartbeat)))
                }
            }
            nextHeartbeat = now + options.heartbeat / .seconds(1)
        }
    }

    // MARK: - Connections

    /// How long the broker may be silent on a connection, in seconds (worked out once: `Duration` arithmetic is
    /// not free, and it is asked on every pass of the loop).
    private let silenceLimit: TimeInterval

    /// Closes the connections the broker went silent on or told to reconnect; they are opened again after `delay`,
    /// which doubles for the next loss.
    private mutating func reconnectLost(now: Date) {
        var lost = false
        var quiet: [String: String] = [:]
        var refused: [String: String] = [:]
        for slot in slots.indices {
            switch slots[slot].link {
            case .connected(let heard) where now.timeIntervalSince(heard) > silenceLimit:
                // A silent broker may be a node that is down: the next connection goes to the next one listed.
                let silent = endpoint(of: slot)
                moveOn(slot, now: now)
                quiet[silent] = endpoint(of: slot)
            case .refused:
                let refusing = endpoint(of: slot)
                moveOn(slot, now: now)
                refused[refusing] = endpoint(of: slot)
            case .toldToReconnect:
                break
            default:
                continue
            }
            lost = true
            actions.append(.close(slot: slot, farewell: nil))
            slots[slot].link = .waiting(until: now + delay / .seconds(1))
            slots[slot].inHand = nil
        }
        guard lost else { return }
        for (silent, next) in quiet.sorted(by: { $0.key < $1.key }) {
            log(
                .warning, "the broker went quiet; reconnecting",
                ["service": "\(options.service)", "broker": "\(silent)", "next": "\(next)", "after": "\(delay)"])
        }
        for (refusing, next) in refused.sorted(by: { $0.key < $1.key }) {
            log(
                .warning,
                "the broker turned this worker away (DISCONNECT before any heartbeat: is the service one it serves, and "
                    + "the worker's key admitted there?); reconnecting",
                ["service": "\(options.service)", "broker": "\(refusing)", "next": "\(next)", "after": "\(delay)"])
        }
        delay = min(delay * 2, options.maxReconnectDelay)
    }

    /// The slot's next connection goes to the next broker listed (after the last, the first). Leaving its own
    /// broker, it is to go back after `returnWait` — doubled first if its own had not taken it on this connection.
    private mutating func moveOn(_ slot: Int, now: Date) {
        if slots[slot].broker == slots[slot].home {
            if !slots[slot].answered {
                let longest = 16 * (options.returnHomeAfter / .seconds(1))
                slots[slot].returnWait = min(slots[slot].returnWait * 2, longest)
            }
            slots[slot].returnAt = now + slots[slot].returnWait
        }
        slots[slot].broker = (slots[slot].broker + 1) % max(1, options.brokers.count)
    }

    /// Slots that have served another broker than their own for their wait, with no request in hand, say DISCONNECT
    /// there and connect to their own at once.
    private mutating func returnHome(now: Date) {
        guard !stopping else { return }
        for slot in slots.indices {
            guard let returnAt = slots[slot].returnAt, returnAt <= now, slots[slot].inHand == nil,
                case .connected = slots[slot].link
            else { continue }
            let away = endpoint(of: slot)
            slots[slot].returnAt = nil
            guard slots[slot].broker != slots[slot].home else { continue }
            actions.append(.close(slot: slot, farewell: MDP.fromWorker(options.version, .disconnect)))
            slots[slot].broker = slots[slot].home
            slots[slot].link = .waiting(until: now)
            log(
                .info, "going back to this slot's own broker",
                ["service": "\(options.service)", "broker": "\(endpoint(of: slot))", "from": "\(away)"])
        }
    }

    private mutating func connect(_ slot: Int, now: Date) {
        actions.append(.connect(slot: slot, endpoint: endpoint(of: slot)))
        slots[slot].answered = false
        actions.append(.send(slot: slot, frames: MDP.fromWorker(options.version, .ready, service: options.service)))
        slots[slot].link = .connected(heard: now)
        statistics.connections += 1
        log(.debug, "worker connected", ["service": "\(options.service)", "broker": "\(endpoint(of: slot))"])
    }

    /// The endpoint of the slot's broker.
    private func endpoint(of slot: Int) -> String {
        options.brokers.isEmpty ? "" : options.brokers[slots[slot].broker]
    }

    /// Once stopping with no request in hand: DISCONNECT on every connection, and the session is over.
    private mutating func finishIfIdle() {
        guard stopping, slots.allSatisfy({ $0.inHand == nil }) else { return }
        for slot in slots.indices {
            if case .waiting = slots[slot].link { continue }
            actions.append(.close(slot: slot, farewell: MDP.fromWorker(options.version, .disconnect)))
        }
        finished = true
        actions.append(.finish)
    }

    private mutating func log(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) {
        actions.append(.log(level, message, metadata))
    }
}
