import Foundation

/// Reads RFC 4180 CSV a record at a time from a file, without holding the file: quoted fields (with doubled quotes,
/// commas and line ends inside), CRLF or LF line ends, a UTF-8 byte order mark at the start.
public struct CSVReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    /// The line the next record starts on, from 1.
    public private(set) var line = 1

    /// A reader of the file at `path`.
    ///
    /// - Throws: the error opening it.
    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        fill()
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next record, its fields as text, and the line it started on; `nil` at the end of the file.
    public mutating func next() -> (fields: [String], line: Int)? {
        guard peek() != nil else { return nil }
        let first = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        while let byte = peek() {
            advance()
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if peek() == UInt8(ascii: "\"") {
                        field.append(byte)
                        advance()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if field.isEmpty && !quoted {
                    inQuotes = true
                    quoted = true
                } else {
                    field.append(byte)
                }
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
                quoted = false
            case UInt8(ascii: "\r") where peek() == UInt8(ascii: "\n"):
                break
            case UInt8(ascii: "\n"):
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return (fields, first)
            default:
                field.append(byte)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return (fields, first)
    }

    private mutating func peek() -> UInt8? {
        if position >= buffer.count { fill() }
        return position < buffer.count ? buffer[position] : nil
    }

    private mutating func advance() { position += 1 }

    private mutating func fill() {
        guard !finished else { return }
        let chunk = handle.readData(ofLength: 1 << 16)
        if chunk.isEmpty {
            finished = true
            try? handle.close()
        }
        buffer = Array(buffer[position...]) + chunk
        position = 0
    }
}
