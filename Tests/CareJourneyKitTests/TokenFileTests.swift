import CareJourneyCore
import CareJourneyFiles
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

@Suite struct TokenFileTests {
    let digest = String(repeating: "ab", count: 32)

    func temporaryPath() -> String {
        CareJourneyTestSupport.temporaryPath("tokens.yaml")
    }

    @Test func addedPeopleReadBackWithTheirRolesAndOnlyTheHashOfTheirTokens() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var file = TokenFile(path: path)
        let jones = try file.add("sw.jones", role: .practitioner)
        let patel = try file.add("m.patel", role: .manager)
        try OwnerOnlyFile.write(file.text, to: path)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(jones) && !text.contains(patel))
        #expect(text.contains(AccessToken.digest(of: jones)))
        let read = try TokenFile.load(path)
        #expect(read == file)
        #expect(read.entries.map(\.name) == ["sw.jones", "m.patel"])
        #expect(read.entries.map(\.role) == [.practitioner, .manager])
        #expect(read.entries[0].sha256 == AccessToken.digest(of: jones))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        var removed = read
        try removed.remove("sw.jones")
        #expect(try TokenFile.parse(removed.text, file: path).entries.map(\.name) == ["m.patel"])
        #expect(try TokenFile.parse(TokenFile(path: path).text, file: path).entries.isEmpty)
    }

    @Test func tokensAreLongRandomAndURLSafe() {
        let tokens = (0..<50).map { _ in AccessToken.generate() }
        #expect(Set(tokens).count == 50)
        for token in tokens {
            #expect(token.count == 43)
            #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        }
        // The SHA-256 test vector for "abc".
        #expect(
            AccessToken.digest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aFileOthersMayWriteToIsRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OwnerOnlyFile.write(TokenFile(path: path).text, to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        let insecure = #expect(throws: FileError.self) { try TokenFile.load(path) }
        #expect(insecure?.code == .insecure)
        #expect(insecure?.hint == "make it the service account's own: chmod 600 \(path)")
        let missing = #expect(throws: FileError.self) { try TokenFile.load(path + ".missing") }
        #expect(missing?.code == .unreadable)
        #expect(missing?.hint?.contains("carejourney tokens add") == true)
    }

    @Test(
        arguments: [
            (
                "tokens:\n  sw.jones:\n    role: boss\n    sha256: DIGEST\n", FileError.Code.badValue, 3,
                "tokens.sw.jones.role"
            ),
            ("tokens:\n  sw.jones:\n    role: viewer\n    sha256: s3cr3t\n", .badValue, 4, "tokens.sw.jones.sha256"),
            ("tokens:\n  sw.jones:\n    sha256: DIGEST\n", .missingKey, 3, "tokens.sw.jones"),
            (
                "tokens:\n  sw.jones:\n    role: viewer\n    sha256: DIGEST\n    colour: red\n", .unknownKey, 5,
                "tokens.sw.jones.colour"
            ),
            ("token: {}\n", .unknownKey, 1, "token"),
            ("tokens:\n  sw jones:\n    role: viewer\n    sha256: DIGEST\n", .badValue, 2, "tokens.sw jones"),
            ("tokens:\n  local:\n    role: admin\n    sha256: DIGEST\n", .badValue, 2, "tokens.local"),
            (
                "tokens:\n  a:\n    role: viewer\n    sha256: DIGEST\n  b:\n    role: admin\n    sha256: DIGEST\n",
                .inconsistent, 7, "tokens.b.sha256"
            ),
            ("tokens:\n  a: {role: viewer, sha256: DIGEST}\n  a: {role: admin, sha256: DIGEST}\n", .syntax, 2, nil),
            ("tokens:\n  a: [role: viewer\n", .syntax, 3, nil),
        ] as [(String, FileError.Code, Int, String?)])
    func aBadFileIsNamedWithItsLineKeyAndAHint(text: String, code: FileError.Code, line: Int, key: String?) {
        let error = #expect(throws: FileError.self) {
            try TokenFile.parse(text.replacingOccurrences(of: "DIGEST", with: digest), file: "tokens.yaml")
        }
        #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.line == line, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.key == key)
        #expect(error?.hint?.isEmpty == false)
        #expect(error?.description.hasPrefix("tokens.yaml:\(line): ") == true)
    }

    @Test func namesAreCheckedWhenAddedAndWhenRemoved() throws {
        var file = TokenFile(path: "tokens.yaml")
        _ = try file.add("sw.jones", role: .viewer)
        for name in ["sw.jones", "timer", "retention", "", "sw jones", "ćwierć"] {
            let error = #expect(throws: FileError.self) { _ = try file.add(name, role: .admin) }
            #expect(error?.file == "tokens.yaml")
            #expect(error?.hint?.isEmpty == false)
        }
        let error = #expect(throws: FileError.self) { try file.remove("m.patel") }
        #expect(error?.hint == "listed: sw.jones")
        #expect(file.entries.count == 1)
    }

    @Test func rolesAreOrderedFromMetricsToAdmin() {
        // A metrics token reads figures only: below a viewer, who reads cases.
        #expect(Role.metrics < .viewer)
        #expect(Role.viewer < .practitioner && Role.practitioner < .manager && Role.manager < .admin)
        #expect(Role.allCases.sorted() == [.metrics, .viewer, .practitioner, .manager, .admin])
        #expect(!(Role.admin < .admin))
    }
}
