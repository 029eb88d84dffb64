/// What waiting client requests hold, in all and by peer, against `BrokerOptions.Limits`. Pure.
struct RequestBudget {
    private(set) var count = 0
    private(set) var bytes = 0
    /// Only peers with requests waiting are kept.
    private var byPeer: [String: (count: Int, bytes: Int)] = [:]

    /// Takes room for a request of `size` bytes from `peer`, or returns the limit it would break (the reason it is
    /// dropped).
    mutating func reserve(_ size: Int, for peer: String, within limits: BrokerOptions.Limits) -> String? {
        let mine = byPeer[peer] ?? (0, 0)
        if count + 1 > limits.waitingRequests { return "too many waiting requests" }
        if bytes + size > limits.waitingBytes { return "too many waiting bytes" }
        if mine.count + 1 > limits.waitingRequestsPerPeer { return "too many waiting requests from one peer" }
        if mine.bytes + size > limits.waitingBytesPerPeer { return "too many waiting bytes from one peer" }
        count += 1
        bytes += size
        byPeer[peer] = (mine.count + 1, mine.bytes + size)
        return nil
    }

    /// Gives back a request's room: a worker took it, or it expired.
    mutating func release(_ size: Int, for peer: String) {
        count -= 1
        bytes -= size
        guard let mine = byPeer[peer], mine.count > 1 else {
            byPeer[peer] = nil
            return
        }
        byPeer[peer] = (mine.count - 1, mine.bytes - size)
    }

    /// Peers with requests waiting.
    var peers: Int { byPeer.count }
}
