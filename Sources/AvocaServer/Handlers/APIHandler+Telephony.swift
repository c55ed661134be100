import AvocaAPI
import AvocaCore
import AvocaTelephony
import Foundation
import OpenAPIRuntime

/// The Twilio Voice bridge as the handlers use it: the account, the bridge into the call service,
/// and the public URLs Twilio is told to call back.
struct TwilioEndpoints: Sendable {
    let settings: TwilioSettings
    let bridge: TelephonyBridge
    let control: TwilioCallControl
    /// `AVOCA_PUBLIC_URL` without a trailing slash.
    let publicBase: String

    func url(_ endpoint: String) -> String { "\(publicBase)/api/telephony/twilio/\(endpoint)" }
}

extension APIHandler {
    func twilioVoice(_ input: Operations.TwilioVoice.Input) async throws -> Operations.TwilioVoice.Output {
        let (twilio, form) = try Self.carrier(twilio)
        try await twilio.bridge.handle(try Self.decoded(TwilioWebhookDecoder.voice, form))
        let answer = TwiML.answer(
            transcriptionCallback: twilio.url("transcription"), greeting: twilio.settings.greeting, queue: TwilioSettings.queue,
            waitURL: twilio.url("wait"))
        return .ok(.init(body: .xml(HTTPBody(answer))))
    }

    func twilioTranscription(_ input: Operations.TwilioTranscription.Input) async throws -> Operations.TwilioTranscription.Output {
        let (twilio, form) = try Self.carrier(twilio)
        try await twilio.bridge.handle(try Self.decoded(TwilioWebhookDecoder.transcription, form))
        return .noContent(.init())
    }

    func twilioStatus(_ input: Operations.TwilioStatus.Input) async throws -> Operations.TwilioStatus.Output {
        let (twilio, form) = try Self.carrier(twilio)
        try await twilio.bridge.handle(try Self.decoded(TwilioWebhookDecoder.status, form))
        return .noContent(.init())
    }

    func twilioWait(_ input: Operations.TwilioWait.Input) async throws -> Operations.TwilioWait.Output {
        let (twilio, _) = try Self.carrier(twilio)
        let hold = TwiML.hold(musicURL: twilio.settings.holdMusicURL, message: TwilioSettings.holdMessage)
        return .ok(.init(body: .xml(HTTPBody(hold))))
    }

    func twilioDialResult(_ input: Operations.TwilioDialResult.Input) async throws -> Operations.TwilioDialResult.Output {
        let (twilio, form) = try Self.carrier(twilio)
        let event = try Self.decoded(TwilioWebhookDecoder.dialResult, form)
        let answer: String
        switch try await twilio.bridge.handle(event) {
        case .requeued: answer = TwiML.requeue(queue: TwilioSettings.queue, waitURL: twilio.url("wait"))
        // The rep hung up after talking (or the caller did): the call is over.
        default: answer = TwiML.hangup
        }
        return .ok(.init(body: .xml(HTTPBody(answer))))
    }

    func announcePartial(_ input: Operations.AnnouncePartial.Input) async throws -> Operations.AnnouncePartial.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        try await calls.announcePartial(try Self.callID(input.path.phoneCallId), speaker: body.speaker == .agent ? .agent : .caller, text: body.text)
        return .accepted(.init())
    }

    func getPhoneSettings(_ input: Operations.GetPhoneSettings.Input) async throws -> Operations.GetPhoneSettings.Output {
        let me = try Self.callerEmployee()
        return .ok(.init(body: .json(.init(ringAt: try await calls.ringNumber(of: me.id), carrierConnected: twilio != nil))))
    }

    func updatePhoneSettings(_ input: Operations.UpdatePhoneSettings.Input) async throws -> Operations.UpdatePhoneSettings.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let me = try Self.callerEmployee()
        let number = try await calls.setRingNumber(body.ringAt, for: me.id)
        return .ok(.init(body: .json(.init(ringAt: number, carrierConnected: twilio != nil))))
    }

    /// Accepting a call that waits in Twilio's queue: the claim is made in Avoca first (exactly
    /// one winner), then the caller is connected to the winner's phone. Should Twilio refuse, the
    /// claim is given back, so the call rings on for everyone.
    func acceptCarrierCall(_ id: PhoneCallID, sid: String, twilio: TwilioEndpoints, by me: Employee) async throws -> PhoneCall {
        guard let number = try await calls.ringNumber(of: me.id) else {
            throw DomainError.conflict(
                code: "no_ring_at", message: "Set the number your calls ring at (Settings → Calls ring at) before taking a phone call.")
        }
        let accepted = try await calls.accept(id, by: me.id)
        do {
            try await twilio.control.redirect(callSid: sid, twiml: TwiML.dial(number: number, action: twilio.url("dial")))
        } catch {
            twilio.bridge.logger.error("Twilio did not connect an accepted call", metadata: ["phone_call_id": "\(id)", "error": "\(error)"])
            _ = try? await calls.release(id, by: me)
            throw DomainError.conflict(
                code: "carrier_unreachable", message: "Twilio could not connect the call to \(number); it is ringing again for everyone.")
        }
        return accepted
    }

    /// A supervisor gives a carrier call to another rep: the move is decided in Avoca first (the
    /// same one-winner rule), then the caller is connected to the new rep's phone. Should Twilio
    /// refuse, the call goes back to the queue and rings for everyone.
    func reassignCarrierCall(
        _ id: PhoneCallID, sid: String, to target: EmployeeID, twilio: TwilioEndpoints, by caller: Employee
    ) async throws
        -> PhoneCall
    {
        guard let number = try await calls.ringNumber(of: target) else {
            throw DomainError.conflict(
                code: "no_ring_at", message: "That agent has not set the number their calls ring at (Settings → Calls ring at).")
        }
        let moved = try await calls.reassign(id, to: target, by: caller)
        do {
            try await twilio.control.redirect(callSid: sid, twiml: TwiML.dial(number: number, action: twilio.url("dial")))
        } catch {
            twilio.bridge.logger.error("Twilio did not connect a reassigned call", metadata: ["phone_call_id": "\(id)", "error": "\(error)"])
            _ = try? await calls.returnToQueue(id)
            throw DomainError.conflict(
                code: "carrier_unreachable", message: "Twilio could not connect the call to \(number); it is ringing again for everyone.")
        }
        return moved
    }

    /// A released carrier call goes back into Twilio's queue (and its hold music). Best effort:
    /// the release stands in Avoca whatever Twilio answers.
    func requeueCarrierCall(_ call: PhoneCall, twilio: TwilioEndpoints) async {
        guard let sid = TwilioWebhookDecoder.callSid(ofExternalID: call.externalID) else { return }
        do {
            try await twilio.control.redirect(callSid: sid, twiml: TwiML.requeue(queue: TwilioSettings.queue, waitURL: twilio.url("wait")))
        } catch {
            twilio.bridge.logger.error("Twilio did not requeue a released call", metadata: ["phone_call_id": "\(call.id)", "error": "\(error)"])
        }
    }

    /// The bridge and the verified form; `TwilioSignatureMiddleware` guarantees both on these paths.
    private static func carrier(_ twilio: TwilioEndpoints?) throws -> (TwilioEndpoints, FormParameters) {
        guard let twilio else { throw DomainError.notFound(entity: "telephony bridge") }
        guard let request = CarrierRequest.current else { throw DomainError.forbidden(message: "Only the carrier, by its signature.") }
        return (twilio, request.form)
    }

    /// A decoded webhook; one Avoca cannot read is 400, with nothing stored.
    private static func decoded(
        _ decode: (FormParameters) throws(MalformedWebhook) -> TelephonyEvent, _ form: FormParameters
    ) throws -> TelephonyEvent {
        do {
            return try decode(form)
        } catch {
            throw DomainError.badRequest(message: error.message)
        }
    }
}
