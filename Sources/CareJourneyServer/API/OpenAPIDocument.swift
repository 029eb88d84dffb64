import Foundation

/// The committed OpenAPI description of the API, shipped with the server as a resource.
enum OpenAPIDocument {
    static let bytes: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return Data("openapi: 3.0.3\ninfo: {title: CareJourney, version: unavailable}\npaths: {}\n".utf8) }
        return data
    }()
}
