import CZeroMQ

/// CURVE keys in Z85 text (40 characters for 32 bytes), as libzmq and key files use them.
public enum ZMQCurve {
    /// A new key pair: public and secret, Z85 text.
    public static func keyPair() throws(ZMQError) -> (publicKey: String, secretKey: String) {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else { throw ZMQError("zmq_curve_keypair") }
        return (text(publicKey), text(secretKey))
    }

    /// The public key that goes with a secret key.
    public static func publicKey(forSecret secret: String) throws(ZMQError) -> String {
        var publicKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicKey, secret) == 0 else { throw ZMQError("not a Z85 CURVE secret key") }
        return text(publicKey)
    }

    /// The 32 bytes of a Z85 key, or `nil` if it is not 40 characters of Z85.
    public static func decode(_ key: String) -> [UInt8]? {
        guard key.utf8.count == 40 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&bytes, key) != nil else { return nil }
        return bytes
    }

    /// Z85 text for 32 key bytes.
    public static func encode(_ bytes: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: 41)
        _ = zmq_z85_encode(&text, bytes, bytes.count)
        return Self.text(text)
    }

    private static func text(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
