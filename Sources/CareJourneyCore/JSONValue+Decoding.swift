import struct Foundation.Date

extension JSONValue {
    /// How dates are written in JSON text, as Foundation's `JSONDecoder.DateDecodingStrategy` names them.
    public enum DateForm: Sendable {
        /// ISO 8601 text: event data, the API, scenarios.
        case iso8601
        /// A number of seconds since 1970: the store's snapshots of cases.
        case secondsSince1970
    }

    /// Decodes `type` from this value as Foundation's `JSONDecoder`, with `dates`, decodes the value's JSON text —
    /// the same value, or an error of the same kind — several times faster, with no text in between.
    ///
    /// ```swift
    /// let state = try JSONValue.parse(bytes).decode(CaseState.self, dates: .secondsSince1970)
    /// ```
    ///
    /// - Throws: the `DecodingError` `JSONDecoder` throws for the same text.
    public func decode<T: Decodable>(_ type: T.Type, dates: DateForm) throws -> T {
        try JSONValueDecoder.decode(type, from: self, dates: dates, log: nil)
    }
}
