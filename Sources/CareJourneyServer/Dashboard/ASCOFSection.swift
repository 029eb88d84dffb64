import CareJourneyReports

/// The overview's ASCOF measures over the last 12 months, from the CLD rows of the case histories: the figures of
/// `carejourney report ascof`, each with its definition (docs/reporting.md#ascof).
enum ASCOFSection {
    static func render(_ measures: ASCOFMeasures?) -> HTML {
        guard let measures else {
            return
                "<p class=\"hint\">The ASCOF measures are being read from the case histories; they appear shortly.</p>"
        }
        var order: [String] = []
        var byID: [String: [ASCOFMeasure]] = [:]
        for measure in measures.measures {
            if byID[measure.id] == nil { order.append(measure.id) }
            byID[measure.id, default: []].append(measure)
        }
        let rows = HTML(
            joining: order.map { id in
                let groups = byID[id] ?? []
                let figures = HTML(joining: groups.map { "<li data-ascof=\"\(id) \($0.group)\">\($0.line)</li>" })
                return """
                    <tr><th scope="row">\(id)</th><td>\(groups.first?.name ?? "")</td><td><ul class="plain">\(figures)</ul></td></tr>
                    """
            })
        return """
            <p class="hint">From the CLD rows of the case histories for \(measures.period), as <code>carejourney report \
            ascof</code> computes them after DHSC's published SQL; 2D is an approximation from CLD alone and 2B/2C \
            need the council's population (docs/reporting.md, ASCOF). Read again every few minutes.</p>
            <div class="table-wrap"><table>
            <caption>ASCOF measures from Client Level Data, \(measures.period)</caption>
            <thead><tr><th scope="col">Measure</th><th scope="col">Definition</th><th scope="col">Figures</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }
}
