import Foundation

/// The dashboard's and the sign-in pages' stylesheets and script, shipped with the server as resources (no build step, no external
/// assets).
enum DashboardAssets {
    /// The file's bytes and content type, by name; `nil` for anything else.
    static func named(_ name: String) -> (data: Data, contentType: String)? {
        switch name {
        case "dashboard.css": (css, "text/css; charset=utf-8")
        case "dashboard.js": (script, "text/javascript; charset=utf-8")
        case "sign-in.css": (signInCSS, "text/css; charset=utf-8")
        case "plan.css": (planCSS, "text/css; charset=utf-8")
        case "favicon.svg": (icon, "image/svg+xml")
        default: nil
        }
    }

    private static let css = load("dashboard", "css")
    private static let script = load("dashboard", "js")
    private static let signInCSS = load("sign-in", "css")
    private static let planCSS = load("plan", "css")
    private static let icon = load("favicon", "svg")

    private static func load(_ name: String, _ ext: String) -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "assets"),
            let data = try? Data(contentsOf: url)
        else { return Data() }
        return data
    }
}
