import AvocaAPI
import AvocaCore
import AvocaIdentity
import Foundation

extension APIHandler {
    func listApiKeys(_ input: Operations.ListApiKeys.Input) async throws -> Operations.ListApiKeys.Output {
        .ok(.init(body: .json(.init(apiKeys: try await identity.apiKeys().map(Components.Schemas.ApiKey.init)))))
    }

    func createApiKey(_ input: Operations.CreateApiKey.Input) async throws -> Operations.CreateApiKey.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let scopes = body.scopes.compactMap { APIKeyScope(rawValue: $0.rawValue) }
        let (key, secret) = try await identity.createAPIKey(name: body.name, scopes: scopes)
        return .created(.init(body: .json(.init(value1: .init(key), value2: .init(key: secret)))))
    }

    func revokeApiKey(_ input: Operations.RevokeApiKey.Input) async throws -> Operations.RevokeApiKey.Output {
        guard let id = APIKeyID(input.path.apiKeyId) else { throw DomainError.notFound(entity: "api_key") }
        try await identity.revokeAPIKey(id)
        return .noContent(.init())
    }
}

extension Components.Schemas.ApiKey {
    init(_ key: APIKey) {
        self.init(
            id: key.id.description, name: key.name, scopes: key.scopes.compactMap { .init(rawValue: $0.rawValue) }, prefix: key.prefix,
            createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, revokedAt: key.revokedAt)
    }
}
