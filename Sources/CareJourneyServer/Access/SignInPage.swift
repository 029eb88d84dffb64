import Foundation
import HTTPTypes
import Hummingbird

/// The pages of signing in: plain HTML with GOV.UK-like styles inline, no script and nothing fetched from
/// elsewhere, so they work in any browser and with assistive technology.
struct SignInPage: Sendable {
    /// The page's title (after "Error: " when it reports one, as GOV.UK pages do).
    let title: String
    /// What goes in `<main>`, already escaped.
    let main: String

    /// The sign-in form; `error` is shown above it and beside the field, `signedIn` says who is signed in now.
    static func form(next: String, error: String? = nil, signedIn: Principal? = nil) -> SignInPage {
        var main = ""
        if let error {
            main += """
                <div class="summary" role="alert" aria-labelledby="summary-title" tabindex="-1">
                <h2 id="summary-title">There is a problem</h2>
                <ul><li><a href="#token">\(escape(error))</a></li></ul>
                </div>

                """
        }
        main += "<h1>Sign in</h1>\n"
        if let signedIn {
            main += "<p>You are signed in as \(who(signedIn)). Sign in again to change who you are.</p>\n"
        }
        main += """
            <form method="post" action="/sign-in" novalidate>
            <input type="hidden" name="next" value="\(escape(next))">
            <div class="group\(error == nil ? "" : " group-error")">
            <label for="token">Sign-in token</label>
            <p id="token-hint" class="hint">The token an administrator gave you: 43 letters, digits, dashes and \
            underscores.</p>

            """
        if let error {
            main += """
                <p id="token-error" class="error-message"><span class="visually-hidden">Error:</span> \
                \(escape(error))</p>

                """
        }
        main += """
            <input id="token" name="token" type="password" autocomplete="current-password" spellcheck="false" \
            aria-describedby="token-hint\(error == nil ? "" : " token-error")"\(error == nil ? "" : " aria-invalid=\"true\"")>
            </div>
            <button type="submit">Sign in</button>
            </form>
            """
        return SignInPage(title: (error == nil ? "" : "Error: ") + "Sign in", main: main)
    }

    /// Without a token file there is no one to sign in as: say so, and who everyone is.
    static func noSignInNeeded(next: String) -> SignInPage {
        SignInPage(
            title: "No sign-in needed",
            main: """
                <h1>No sign-in needed</h1>
                <p>This service runs without a token file, so anyone on this computer uses it as the \
                administrator <strong>local</strong>.</p>
                <p>To give people their own sign-in, an administrator runs \
                <code>carejourney tokens add FILE NAME --role ROLE</code> and restarts the service with \
                <code>--tokens FILE</code>.</p>
                <p><a href="\(escape(next))">Continue</a></p>
                """)
    }

    /// A page the signed-in person's role does not open; `csrf` signs its sign-out form.
    static func refused(_ error: AccessError, csrf: String?) -> SignInPage {
        SignInPage(
            title: "You cannot open this page",
            main: """
                <h1>You cannot open this page</h1>
                <p>\(escape(error.message.prefix(1).uppercased() + error.message.dropFirst())).</p>
                \(error.hint.map { "<p>\(escape($0.prefix(1).uppercased() + $0.dropFirst())).</p>" } ?? "")
                \(signOut(csrf: csrf))
                """)
    }

    /// A form that did not carry its session's CSRF token: posted from another site, or from a page open since
    /// before the person signed in again.
    static func expiredForm() -> SignInPage {
        SignInPage(
            title: "This form could not be sent",
            main: """
                <h1>This form could not be sent</h1>
                <p>It was not sent from a page of this service, or the page was opened before you last signed in, \
                so nothing was changed.</p>
                <p>Go back, reload the page and try again.</p>
                <p><a href="/">Go to the dashboard</a></p>
                """)
    }

    /// The sign-out button, signed with `csrf`.
    static func signOut(csrf: String?) -> String {
        """
        <form method="post" action="/sign-out"><input type="hidden" name="csrf" value="\(escape(csrf ?? ""))">\
        <button type="submit" class="secondary">Sign out</button></form>
        """
    }

    /// "sw.jones (practitioner)", escaped.
    private static func who(_ principal: Principal) -> String {
        "<strong>\(escape(principal.name))</strong> (\(principal.role.rawValue))"
    }

    /// The page as a response: no scripts, styles from this service (`SecurityHeaders` forbids the rest).
    func response(status: Int) -> Response {
        let html = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title)) – CareJourney</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/sign-in.css">
            </head>
            <body>
            <a class="skip" href="#main">Skip to main content</a>
            <header><a href="/">CareJourney</a></header>
            <main id="main">
            \(main)
            </main>
            </body>
            </html>

            """
        return Response.raw(Data(html.utf8), status: status, contentType: "text/html; charset=utf-8")
    }

    /// Text made safe to put in HTML, in an element or a quoted attribute (as the dashboard's pages do).
    static func escape(_ text: some StringProtocol) -> String { HTML.escape(String(text)) }
}
