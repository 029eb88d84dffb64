import CareJourneyCore
import CareJourneyStore
import Foundation

/// Reading a case as the access log sees it: the page that asks why before a case with an open safeguarding
/// enquiry outside the reader's team is opened, and the page that shows managers who has read a case.
enum CaseAccessPage {
    /// The question asked before the case is shown: why the reader needs it. Sent back as `?reason=…`.
    static func reasonNeeded(_ id: CaseID, why: String, viewer: Viewer) -> HTML {
        PageLayout.page(
            title: "Say why you need to open \(id.rawValue)", section: .cases, viewer: viewer,
            main: """
                <p>\(why.prefix(1).uppercased() + why.dropFirst()).</p>
                <p>You can open it, but say why first: your reason is recorded with your name and shown to managers.</p>
                <form method="get" action="/cases/\(id.rawValue)">
                <div class="field"><label for="reason">Why you need to open this case</label>\
                <textarea id="reason" name="reason" required maxlength="\(CaseReads.maxReason)"></textarea></div>
                <button type="submit">Open the case</button> <a href="/cases">Go back to the case list</a>
                </form>
                """)
    }

    /// Who has read the case, newest first: when, who, how, why, and what they searched for.
    static func render(_ id: CaseID, reads: [AccessRecord], viewer: Viewer) -> HTML {
        let rows = HTML(
            joining: reads.map { read in
                let reason: HTML? = read.reason.map { "<strong>Reason given:</strong> \($0)" }
                let what: HTML? = (read.query ?? read.detail).map { "\($0)" }
                return """
                    <tr><td>\(UKTime.element(read.at))</td><td>\(read.actor)</td><td>\(Self.channel(read))</td>\
                    <td>\(reason)\(reason != nil && what != nil ? "<br>" : nil)\(what)</td></tr>
                    """
            })
        let table: HTML =
            reads.isEmpty
            ? "<p>No one has read this case yet.</p>"
            : """
            <div class="table-wrap"><table id="access-log"><caption>Reads of this case, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">How</th>\
            <th scope="col">Why, or what they asked</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        return PageLayout.page(
            title: "Who has read \(id.rawValue)", section: .cases, viewer: viewer,
            main: """
                <p>Every read of this person's record: their case's page, the API, searches and lists that showed it, \
                and exports. A reason is shown where someone outside the case's team opened it during a safeguarding \
                enquiry. <a href="/cases/\(id.rawValue)">Back to the case</a></p>
                \(table)
                """)
    }

    /// `case page`, `search`, …: how a read happened, in words.
    private static func channel(_ read: AccessRecord) -> String {
        switch read.channel {
        case .page: "case page"
        case .api: "API"
        case .search: "search or list (\(read.cases.count) cases)"
        case .list: "list (\(read.cases.count) cases)"
        case .export: "export"
        case .audit: "audit of reads"
        case .view: "viewed (page or API)"
        }
    }
}
