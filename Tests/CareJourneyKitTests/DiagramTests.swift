import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

@Suite struct DiagramTests {
    /// Graphviz must accept the dot output. CI installs it; a machine without `dot` checks the structure only.
    @Test func graphvizAcceptsTheDotDiagram() throws {
        let policy = try PolicyFile.load(Repository.path("workflows/derbyshire.yaml"))
        let dot = JourneyDiagram(policy: policy).render(.dot)
        #expect(dot.components(separatedBy: "{").count == dot.components(separatedBy: "}").count)
        // The policy charges and routes CHC referrals: the diagram shows both machines at work.
        for edge in [
            "financialassessment_referred -> financialassessment_assessed",
            "financialassessment_assessed -> financialassessment_reassessing",
            "nhscontinuinghealthcare_none -> nhscontinuinghealthcare_referred",
            "nhscontinuinghealthcare_referred -> nhscontinuinghealthcare_funded",
        ] {
            #expect(dot.contains(edge), "\(edge)")
        }
        guard let graphviz = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: FileManager.default.isExecutableFile)
        else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must have Graphviz installed")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: graphviz)
        process.arguments = ["-Tsvg"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(dot.utf8))
        try input.fileHandleForWriting.close()
        let svg = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "dot: \(complaint)")
        #expect(complaint.isEmpty)
        #expect(svg.contains("<svg"))
        #expect(svg.contains(">delivery</text>"))
    }

    @Test func mermaidStatesAreDeclaredBeforeUse() throws {
        let policy = try PolicyFile.load(Repository.path("workflows/wiltshire.yaml"))
        let lines = JourneyDiagram(policy: policy).render(.mermaid).split(separator: "\n").map(String.init)
        var declared: Set<String> = []
        for line in lines.dropFirst() {
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
            if words.first == "state", let alias = words.last, words.count >= 4, words[words.count - 2] == "as" {
                declared.insert(alias.replacingOccurrences(of: "{", with: ""))
            } else if let arrow = words.firstIndex(of: "-->") {
                for id in [words[arrow - 1], words[arrow + 1]] where id != "[*]" {
                    #expect(declared.contains(id), "\(id) used before it is declared: \(line)")
                }
            }
        }
        #expect(declared.contains("casejourney_delivery"))
    }
}
