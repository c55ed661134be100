import AvocaTelephony
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A local stand-in for Twilio's REST API, which cannot be reached from here (a third-party
/// service; the only mock in these tests). It records every call-update request Avoca makes and
/// answers as Twilio does, or with `failing` when a test wants a refusal.
final class TwilioRESTStandIn: Sendable {
    /// One request Avoca made.
    struct Received: Sendable {
        var path: String
        var authorization: String?
        var form: FormParameters
    }

    private let received = Mutex<[Received]>([])
    private let failure = Mutex<HTTPResponse.Status?>(nil)

    /// Every request so far.
    var requests: [Received] { received.withLock { $0 } }

    /// Answer every further request with `status` (nil: succeed again).
    func failing(_ status: HTTPResponse.Status?) { failure.withLock { $0 = status } }

    /// Runs the stand-in on a free port for the duration of `body`, which gets its base URL.
    func run(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/2010-04-01/Accounts/:account/Calls/:call") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 64 * 1024)
            let form = FormParameters.parse(bytes.readableBytesView) ?? FormParameters([])
            self.received.withLock {
                $0.append(Received(path: request.uri.path, authorization: request.headers[.authorization], form: form))
            }
            if let status = self.failure.withLock({ $0 }) {
                return Response(
                    status: status, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"code":21220,"message":"Call is not in-progress"}"#)))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"in-progress"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw CancellationError() }
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
