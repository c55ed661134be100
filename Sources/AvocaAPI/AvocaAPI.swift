package import Foundation

/// The OpenAPI document the server code is generated from, as shipped with the binary.
package enum OpenAPISpec {
    /// The raw YAML bytes.
    package static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: url)
    }
}
