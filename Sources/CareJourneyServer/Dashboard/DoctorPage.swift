import CareJourneyStore
import Foundation

/// What `carejourney store doctor` finds, as a page: open cases with no next step first (the overview's red
/// figure links here), then closed cases with a timer or a journey task left and overdue cases not escalated, each
/// with the command that would put it right.
enum DoctorPage {
    static func render(_ report: DoctorReport, viewer: Viewer) -> HTML {
        let counts = HTML(
            joining: DoctorFinding.Problem.allCases.map { problem in
                """
                <tr data-problem="\(problem.rawValue)"><th scope="row">\(problem.summary)</th>\
                <td class="num">\(report.counts[problem.rawValue] ?? 0)</td></tr>
                """
            })
        let rows = HTML(
            joining: report.findings.map { finding in
                """
                <tr data-case="\(finding.caseID)" data-problem="\(finding.problem.rawValue)">\
                <td><a href="/cases/\(finding.caseID)">\(finding.caseID)</a></td><td>\(finding.stage)</td>\
                <td>\(finding.detail)</td><td><code>\(finding.fix)</code></td></tr>
                """
            })
        let listing: HTML =
            report.findings.isEmpty
            ? "<p id=\"doctor-clean\">Nothing is wrong: every open case has a next step.</p>"
            : """
            <div class="table-wrap"><table id="doctor-findings"><caption>What is wrong, and what would put it right\
            </caption><thead><tr><th scope="col">Case</th><th scope="col">Stage</th><th scope="col">What is wrong</th>\
            <th scope="col">Put it right</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        return PageLayout.page(
            title: "Cases without a next step", section: nil, viewer: viewer,
            main: """
                <p class="hint">From the store's tables as they stand (<code>carejourney store doctor</code>); \
                <code>carejourney store verify --case C-n</code> compares a case with its history.</p>
                <div class="table-wrap"><table id="doctor-counts"><caption>Cases by problem</caption>\
                <thead><tr><th scope="col">Problem</th><th scope="col" class="num">Cases</th></tr></thead>\
                <tbody>\(counts)</tbody></table></div>
                \(listing)
                """)
    }
}
