import Foundation
import Testing

@testable import AvocaCore

@Suite("TOTP (RFC 6238, SHA-1, 6 digits, 30 s)")
struct TOTPTests {
    // RFC 6238 appendix B, SHA-1 seed "12345678901234567890"; the RFC prints 8 digits, we use the last 6.
    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test(
        "matches the RFC 6238 test vectors",
        arguments: [
            (59.0, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"),
            (2_000_000_000, "279037"), (20_000_000_000, "353130"),
        ])
    func rfcVectors(time: Double, code: String) {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(totp.code(step: TOTP.step(at: Date(timeIntervalSince1970: time))) == code)
    }

    @Test("accepts the previous, current and next step and nothing further")
    func window() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        for offset in [-1, 0, 1] as [Int64] { #expect(totp.matchingStep(for: totp.code(step: step + offset), at: now) == step + offset) }
        #expect(totp.matchingStep(for: totp.code(step: step + 2), at: now) == nil)
        #expect(totp.matchingStep(for: totp.code(step: step - 2), at: now) == nil)
        #expect(totp.matchingStep(for: "12345", at: now) == nil)
        #expect(totp.matchingStep(for: "abcdef", at: now) == nil)
    }

    @Test("the provisioning URI carries the base32 secret, issuer and parameters")
    func uri() {
        let uri = TOTP(secret: Self.rfcSecret).provisioningURI(account: "pat@example.com", issuer: "avoca-ai")
        #expect(
            uri
                == "otpauth://totp/avoca-ai%3Apat%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=avoca-ai&algorithm=SHA1&digits=6&period=30"
        )
    }
}

@Suite("Base32, secrets at rest and token hashing")
struct SecretsTests {
    @Test("base32 matches RFC 4648 and round-trips")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("mzxw6ytboi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("not base32!") == nil)
        let random = RandomToken.bytes(20)
        #expect(Base32.decode(Base32.encode(random)) == random)
    }

    @Test("sealed secrets open with the same key only, and tampering is detected")
    func secretBox() throws {
        let box = SecretBox(key: Array(repeating: 1, count: 32))
        var sealed = try box.seal([1, 2, 3])
        #expect(try box.open(sealed) == [1, 2, 3])
        #expect(throws: (any Error).self) { try SecretBox(key: Array(repeating: 2, count: 32)).open(sealed) }
        sealed[sealed.count - 1] ^= 0xff
        #expect(throws: (any Error).self) { try box.open(sealed) }
    }

    @Test("token hashes are keyed: the same token hashes differently under another key")
    func keyedHashes() {
        let a = TokenHasher(secret: Array(repeating: 1, count: 32))
        let b = TokenHasher(secret: Array(repeating: 2, count: 32))
        #expect(a.hash("123456") == a.hash("123456"))
        #expect(a.hash("123456") != b.hash("123456"))
        #expect(a.hash("123456").count == 64)
        // Stored hashes must never change form: HMAC-SHA256 under HMAC(secret, "avoca-token-hash"), lower-case hex.
        #expect(a.hash("avk_example") == "9d9e82607ce9359f8dc2b3e47b33c55946f68e15e698314a1d22698503b151ee")
        #expect(a.hash("") == "201201eee044389b2fba0726864e53ac5a69f34e7c1d54166d926c7ba9a48f61")
        #expect(a.hash("Größe ☎ 555-0101") == "d68c3af9dfca5a25e7bdaf4406a196b73cdad802f7177718a3df57a3d65a202d")
        // Each hash starts from the keyed state afresh: earlier tokens leave nothing behind.
        #expect(a.hash("avk_example") == "9d9e82607ce9359f8dc2b3e47b33c55946f68e15e698314a1d22698503b151ee")
    }

    @Test("random codes have the promised shape")
    func randomShapes() {
        #expect(RandomToken.digits(6).count == 6)
        #expect(RandomToken.digits(6).allSatisfy { $0.isNumber })
        #expect(RandomToken.recoveryCode().wholeMatch(of: /[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/) != nil)
        #expect(RandomToken.urlSafe() != RandomToken.urlSafe())
    }
}

@Suite("E-mail addresses, password policy, throttling")
struct IdentityRulesTests {
    @Test("addresses are trimmed and lower-cased; junk is refused")
    func emails() {
        #expect(EmailAddress("  Pat.Lee@Example.COM ")?.value == "pat.lee@example.com")
        #expect(EmailAddress("pat@example.com")?.domain == "example.com")
        for bad in [
            "", "pat", "pat@", "@example.com", "pat@localhost", "pat@@example.com", "pat lee@example.com", "pat@example..com", "a@b.c\r\nBcc: x@y.z",
        ] {
            #expect(EmailAddress(bad) == nil, "\(bad) should be refused")
        }
    }

    @Test("passwords need 12 characters, are not common and not the address")
    func passwords() {
        #expect(PasswordPolicy.problem(with: "short") != nil)
        #expect(PasswordPolicy.problem(with: "Password1234") != nil)
        #expect(PasswordPolicy.problem(with: "aaaaaaaaaaaaaaa") != nil)
        #expect(PasswordPolicy.problem(with: "patrick-secret-2024", email: "patrick@example.com") != nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "ab", count: 40)) != nil)
        #expect(PasswordPolicy.problem(with: "tidy-lantern-4821", email: "pat@example.com") == nil)
    }

    @Test("throttle delays start after the free failures, double, and lock at the limit")
    func throttleDelays() {
        let policy = ThrottlePolicy(freeFailures: 3, lockAfter: 10, baseDelay: 1, maxDelay: 60, lockDuration: 900)
        #expect((1...3).map(policy.delay(afterFailures:)) == [0, 0, 0])
        #expect((4...9).map(policy.delay(afterFailures:)) == [1, 2, 4, 8, 16, 32])
        #expect(policy.delay(afterFailures: 10) == 900)
    }
}
