import AvocaAPI
import Foundation
import HTTPTypes
import Yams

/// A JSON value as the wire has it: booleans and numbers stay apart (JSONSerialization would
/// hand both back as NSNumber, and a `true` would pass for the integer 1).
indirect enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? single.decode(Double.self) {
            self = .number(value)
        } else if let value = try? single.decode(String.self) {
            self = .string(value)
        } else if let value = try? single.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try single.decode([String: JSONValue].self))
        }
    }

    /// The JSON Schema type names this value satisfies.
    var schemaTypes: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer: ["integer", "number"]
        case .number: ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }
}

/// Checks responses against the served `openapi.yaml`, for the subset of JSON Schema the spec uses
/// ($ref, allOf, type lists with 'null', required, properties, items, enum). The spec is the
/// contract: a key it requires must be there (as null when nullable), a value must have a type it allows.
struct SpecConformance {
    let document: [String: Any]

    init() throws { document = try Self.parsed.get() }

    /// The spec, parsed once per test process: Yams in a debug build takes about 15 s of CPU for
    /// it, and seven suites parsing it each while running in parallel made the whole run 3× slower.
    /// Never mutated after it is made, so sharing it between tests is safe.
    private nonisolated(unsafe) static let parsed = Result<[String: Any], any Error> {
        let yaml = String(decoding: try OpenAPISpec.yaml(), as: UTF8.self)
        guard let document = try Yams.load(yaml: yaml) as? [String: Any] else { throw SpecError.unreadable }
        return document
    }

    enum SpecError: Error {
        case unreadable
        case noSuchResponse(String)
    }

    /// The violations of `body` against the response schema the spec declares for this request.
    func problems(method: HTTPRequest.Method, path: String, status: Int, body: Data) throws -> [String] {
        let value = try JSONDecoder().decode(JSONValue.self, from: body)
        return problems(value, against: try responseSchema(method: method, path: path, status: status), at: "$")
    }

    /// The realtime messages the spec catalogues (`RealtimeServerMessage`'s discriminator): event → schema.
    var realtimeCatalogue: [String: [String: Any]] {
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let message = schemas?["RealtimeServerMessage"] as? [String: Any]
        let mapping = (message?["discriminator"] as? [String: Any])?["mapping"] as? [String: String] ?? [:]
        return mapping.mapValues { ["$ref": $0] }
    }

    /// The violations of one realtime message against the schema its `event` names.
    func problems(realtimeMessage text: String) throws -> [String] {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        guard case .object(let object) = value, case .string(let event)? = object["event"] else { return ["$: no event"] }
        guard let schema = realtimeCatalogue[event] else { return ["$.event: \(event) is not in the catalogue"] }
        return problems(value, against: schema, at: event)
    }

    /// The JSON schema of the response, found by matching `path` (under /api) against the spec's templates.
    func responseSchema(method: HTTPRequest.Method, path: String, status: Int) throws -> [String: Any] {
        let segments = path.split(separator: "?")[0].split(separator: "/").dropFirst()  // drop "api"
        let paths = document["paths"] as? [String: Any] ?? [:]
        for (template, item) in paths {
            let parts = template.split(separator: "/")
            guard parts.count == segments.count,
                zip(parts, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }),
                let operation = (item as? [String: Any])?[method.rawValue.lowercased()] as? [String: Any],
                let response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any],
                let schema = resolve(response)["content"].flatMap({ ($0 as? [String: Any])?["application/json"] as? [String: Any] })?["schema"]
                    as? [String: Any]
            else { continue }
            return schema
        }
        throw SpecError.noSuchResponse("\(method) \(path) \(status)")
    }

    func problems(_ value: JSONValue, against raw: [String: Any], at path: String) -> [String] {
        let schema = resolve(raw)
        var found: [String] = []
        for part in schema["allOf"] as? [[String: Any]] ?? [] { found += problems(value, against: part, at: path) }
        if let types = Self.types(schema["type"]), types.isDisjoint(with: value.schemaTypes) {
            return found + ["\(path): \(value) is not \(types.sorted().joined(separator: " or "))"]
        }
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { Self.matches($0, value) }) {
            found.append("\(path): \(value) is not one of \(choices)")
        }
        switch value {
        case .object(let object):
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path).\(key) is missing") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let property = properties[key] as? [String: Any] { found += problems(child, against: property, at: "\(path).\(key)") }
            }
        case .array(let items):
            if let itemSchema = schema["items"] as? [String: Any] {
                for (index, item) in items.enumerated() { found += problems(item, against: itemSchema, at: "\(path)[\(index)]") }
            }
        default:
            break
        }
        return found
    }

    /// Follows `$ref: '#/components/…'` (repeatedly) within the document.
    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String, reference.hasPrefix("#/") else { return schema }
        var node: Any = document
        for key in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(key)] ?? [:] }
        return resolve(node as? [String: Any] ?? [:])
    }

    private static func types(_ raw: Any?) -> Set<String>? {
        if let one = raw as? String { return [one] }
        if let many = raw as? [Any] { return Set(many.compactMap { $0 as? String }) }
        return nil
    }

    private static func matches(_ choice: Any, _ value: JSONValue) -> Bool {
        switch value {
        case .null: choice is NSNull || (choice as? String) == "null"
        case .string(let text): (choice as? String) == text
        case .bool(let flag): (choice as? Bool) == flag
        case .integer(let number): (choice as? Int) == number
        default: false
        }
    }
}
