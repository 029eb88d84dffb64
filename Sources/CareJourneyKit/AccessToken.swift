import Crypto
import Foundation

/// A secret that stands for a person (a sign-in token) or for a browser's sign-in (a session id): 32 bytes from
/// the system's secure random source, as URL-safe base64 without padding (43 characters).
///
/// Tokens are kept only as their SHA-256 (`digest(of:)`): a token file holds nothing that signs anyone in.
public enum AccessToken {
    /// A new random secret.
    public static func generate() -> String {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The SHA-256 of `token`'s UTF-8 bytes, as 64 lowercase hexadecimal digits.
    public static func digest(of token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `text` is a digest as `digest(of:)` writes it.
    public static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
