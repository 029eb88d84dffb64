import Foundation

/// The shell every dashboard page shares: skip link, header with navigation and who is signed in, the page's
/// main content, and the live-update status line.
enum PageLayout {
    /// The parts of the dashboard, as named in its navigation.
    enum Section: String, CaseIterable {
        case overview = "Overview"
        case work = "My work"
        case cases = "Cases"
        case queues = "Queues and workers"
        case plan = "Plan"

        var path: String {
            switch self {
            case .overview: "/"
            case .work: "/work"
            case .cases: "/cases"
            case .queues: "/queues"
            case .plan: "/plan"
            }
        }
    }

    /// A whole page.
    ///
    /// - Parameters:
    ///   - title: the page's heading and the first part of its `<title>`.
    ///   - section: where it sits in the navigation.
    ///   - caseID: for a case's page, its id: live updates then follow only that case.
    static func page(
        title: String, section: Section?, viewer: Viewer, caseID: String? = nil, main: HTML
    ) -> HTML {
        let links = HTML(
            joining: Section.allCases.map { item -> HTML in
                let current: HTML? = item == section ? " aria-current=\"page\"" : nil
                return "<li><a href=\"\(item.path)\"\(current)>\(item.rawValue)</a></li>"
            })
        let signOut: HTML? =
            viewer.signedIn
            ? "<form method=\"post\" action=\"/sign-out\">\(viewer.csrfField)<button type=\"submit\">Sign out</button></form>"
            : nil
        let caseAttribute: HTML? = caseID.map { "data-case=\"\($0)\"" }
        return """
            <!doctype html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) – CareJourney</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/dashboard.css">
            <script src="/assets/dashboard.js" defer></script>
            </head>
            <body \(caseAttribute)>
            <a class="skip" href="#main">Skip to main content</a>
            <header class="site">
            <a class="brand" href="/">CareJourney</a>
            <nav aria-label="Dashboard"><ul>\(links)</ul></nav>
            <div class="who"><span>Signed in as <strong>\(viewer.name)</strong> (\(viewer.role))</span>\(signOut)</div>
            </header>
            <main id="main" tabindex="-1">
            <h1>\(title)</h1>
            <p id="live-status" class="live-status" role="status" aria-live="polite"></p>
            \(main)
            </main>
            </body>
            </html>
            """
    }

    /// A summary of what went wrong with a form, listed before the page's content; each message links to the
    /// field `anchor` (an element id on the page) when one is given.
    static func errors(_ messages: [String], linkedTo anchor: String? = nil) -> HTML? {
        guard !messages.isEmpty else { return nil }
        let items = HTML(
            joining: messages.map(sentence).map { message -> HTML in
                anchor.map { "<li><a href=\"#\($0)\">\(message)</a></li>" } ?? "<li>\(message)</li>"
            })
        return """
            <div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><ul>\(items)</ul></div>
            """
    }

    /// A message as a sentence on its own, with a capital letter (the core's refusals start in lower case, to be
    /// read after "refused:").
    static func sentence(_ message: String) -> String { message.prefix(1).uppercased() + message.dropFirst() }

    /// A confirmation that an action was done.
    static func notice(_ message: String?) -> HTML? {
        message.map { "<div class=\"notice\" role=\"status\"><p>\($0)</p></div>" }
    }
}
