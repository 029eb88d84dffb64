/// This machine's loopback addresses, which nothing else can reach: what the broker and the HTTP server bind to
/// when nothing authenticates their peers.
public enum Loopback {
    /// Whether `host` is a loopback address: `localhost`, an IPv4 address in 127.0.0.0/8, or `::1` (with or
    /// without brackets).
    public static func contains(host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
