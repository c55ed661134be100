import ArgumentParser
import AvocaCore
import AvocaServer
import Foundation

/// `avoca api-key create|list|revoke`: manage integration keys from the shell (e.g. for the telephony bridge).
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key", abstract: "Manage API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; the key is printed alone on the last line.")
        @Option(help: "A label for the key.") var name: String
        @Option(parsing: .upToNextOption, help: "Scopes: \(APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")).") var scope: [String]

        func run() async throws {
            let scopes = try scope.map { raw in
                guard let parsed = APIKeyScope(rawValue: raw) else { throw ValidationError("Unknown scope \(raw).") }
                return parsed
            }
            try await CommandSupport.withServices { services in
                let (key, secret) = try await services.identity.createAPIKey(name: name, scopes: scopes)
                print("Created API key \(key.id) (\(key.scopes.map(\.rawValue).joined(separator: ", "))):")
                print(secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        func run() async throws {
            try await CommandSupport.withServices { services in
                for key in try await services.identity.apiKeys() {
                    print(
                        "\(key.id)  \(key.prefix)…  \(key.name)  [\(key.scopes.map(\.rawValue).joined(separator: ","))]\(key.revokedAt == nil ? "" : "  revoked")"
                    )
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id.")
        @Argument var id: String
        func run() async throws {
            guard let keyID = APIKeyID(id) else { throw ValidationError("Not a key id: \(id)") }
            try await CommandSupport.withServices { services in
                try await services.identity.revokeAPIKey(keyID)
                print("Revoked \(keyID).")
            }
        }
    }
}
