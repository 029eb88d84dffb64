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

    /// A page the signed-in person's role does not open.
    static func refused(_ error: AccessError) -> SignInPage {
        SignInPage(
            title: "You cannot open this page",
            main: """
                <h1>You cannot open this page</h1>
                <p>\(escape(error.message.prefix(1).uppercased() + error.message.dropFirst())).</p>
                \(error.hint.map { "<p>\(escape($0.prefix(1).uppercased() + $0.dropFirst())).</p>" } ?? "")
                <form method="post" action="/sign-out"><button type="submit" class="secondary">Sign out</button></form>
                """)
    }

    /// "sw.jones (practitioner)", escaped.
    private static func who(_ principal: Principal) -> String {
        "<strong>\(escape(principal.name))</strong> (\(principal.role.rawValue))"
    }

    /// The page as a response: never cached, never framed, no scripts, forms only to this service.
    func response(status: Int) -> Response {
        let html = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title)) – CareJourney</title>
            <style>\(Self.styles)</style>
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
        var response = Response.raw(Data(html.utf8), status: status, contentType: "text/html; charset=utf-8")
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.cacheControl] = "no-store"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }

    /// Text made safe to put in HTML, in an element or a quoted attribute (as the dashboard's pages do).
    static func escape(_ text: some StringProtocol) -> String { HTML.escape(String(text)) }

    /// GOV.UK-like: Arial, black on white, a yellow focus ring, a green button, red for errors.
    private static let styles = """
        body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.32;color:#0b0c0c;\
        background:#fff}
        .skip{position:absolute;left:-9999px}.skip:focus{left:0;background:#fd0;color:#0b0c0c;padding:10px}
        header{background:#0b0c0c;padding:10px 30px;border-bottom:10px solid #1d70b8}
        header a{color:#fff;font-weight:700;font-size:24px;text-decoration:none}
        main{display:block;max-width:640px;margin:0 auto;padding:40px 15px}
        h1{font-size:36px;margin:0 0 30px}
        a{color:#1d70b8}
        label{display:block;font-weight:700;margin-bottom:5px}
        .hint{color:#505a5f;margin:0 0 15px}
        .group{margin-bottom:30px}
        .group-error{border-left:5px solid #d4351c;padding-left:15px}
        input{box-sizing:border-box;width:100%;height:40px;font-size:19px;padding:5px;border:2px solid #0b0c0c}
        .group-error input{border-color:#d4351c}
        a:focus,input:focus,button:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
        .error-message{color:#d4351c;font-weight:700;margin:0 0 15px}
        .summary{border:5px solid #d4351c;padding:20px;margin-bottom:30px}
        .summary h2{font-size:24px;margin:0 0 15px}
        .summary ul{margin:0;padding:0;list-style:none}
        .summary a{color:#d4351c;font-weight:700}
        button{font-size:19px;background:#00703c;color:#fff;border:0;padding:8px 10px;box-shadow:0 2px 0 #002d18;\
        cursor:pointer}
        button:hover{background:#005a30}
        button.secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        code{font-family:monospace;background:#f3f2f1;padding:0 3px}
        """
}
