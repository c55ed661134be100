import Testing

@testable import AvocaTelephony

/// The vectors are Twilio's own (its helper libraries' request-validator tests).
@Suite("Twilio request signature")
struct TwilioSignatureTests {
    let signer = TwilioSignature(authToken: "12345")
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    let form = FormParameters([
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"), ("To", "+18005551212"),
    ])

    @Test("the official vector: URL plus sorted parameters, HMAC-SHA1, base64")
    func officialVector() {
        #expect(signer.compute(url: url, parameters: form) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        #expect(signer.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: url, parameters: form))
    }

    @Test("parameter order in the body does not matter; a repeated name signs each of its values, sorted")
    func orderAndRepeats() {
        let shuffled = FormParameters(form.pairs.reversed().map { ($0.name, $0.value) })
        #expect(signer.compute(url: url, parameters: shuffled) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        let repeated = FormParameters([("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")])
        #expect(signer.compute(url: url, parameters: repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU=")
    }

    @Test("a port in the URL: https with :1234 matches the signature without it; http keeps its port")
    func explicitPorts() {
        let https = url.replacingOccurrences(of: ".com", with: ".com:1234")
        #expect(signer.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: https, parameters: form))
        let http = https.replacingOccurrences(of: "https", with: "http")
        #expect(signer.isValid(signature: "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", url: http, parameters: form))
    }

    @Test("Twilio may have signed with the default port: :443 for https, :80 for http")
    func defaultPorts() {
        #expect(signer.isValid(signature: "kvajT1Ptam85bY51eRf/AJRuM3w=", url: url, parameters: form))
        let http = url.replacingOccurrences(of: "https", with: "http")
        #expect(signer.isValid(signature: "0ZXoZLH/DfblKGATFgpif+LLRf4=", url: http, parameters: form))
    }

    @Test("a JSON body is signed through bodySHA256 in the URL, and its hash must match the body")
    func jsonBody() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        let signed = url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        #expect(signer.isValid(signature: "a9nBmqA0ju/hNViExpshrM61xv4=", url: signed, parameters: FormParameters([]), body: body))
        let altered = Array(#"{"property": "value", "boolean": false}"#.utf8)
        #expect(!signer.isValid(signature: "a9nBmqA0ju/hNViExpshrM61xv4=", url: signed, parameters: FormParameters([]), body: altered))
    }

    @Test("a tampered parameter, another URL, another token, or no signature at all fails")
    func tampering() {
        var pairs = form.pairs.map { ($0.name, $0.value) }
        pairs[3] = ("From", "+14155550000")
        #expect(!signer.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: url, parameters: FormParameters(pairs)))
        #expect(!signer.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: url + "&baz=3", parameters: form))
        #expect(!signer.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: "http://mycompany.com/myapp.php?foo=1&bar=2", parameters: form))
        #expect(!TwilioSignature(authToken: "54321").isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: url, parameters: form))
        #expect(!signer.isValid(signature: nil, url: url, parameters: form))
        #expect(!signer.isValid(signature: "", url: url, parameters: form))
        #expect(!signer.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8", url: url, parameters: form))
    }
}

@Suite("Form bodies")
struct FormParametersTests {
    @Test("percent escapes and + decode; pairs keep their order; encoding round-trips")
    func parse() throws {
        let form = try #require(FormParameters.parse(Array("From=%2B14158675309&Text=hello+there&Empty=&Data=%7B%22a%22%3A1%7D".utf8)))
        #expect(form.pairs.map(\.name) == ["From", "Text", "Empty", "Data"])
        #expect(form["From"] == "+14158675309")
        #expect(form["Text"] == "hello there")
        #expect(form["Empty"] == "")
        #expect(form["Data"] == #"{"a":1}"#)
        #expect(FormParameters.parse(Array(form.encoded().utf8)) == form)
    }

    @Test("bad escapes, invalid UTF-8, nameless pairs and oversized forms are refused")
    func refuse() {
        #expect(FormParameters.parse(Array("a=%zz".utf8)) == nil)
        #expect(FormParameters.parse([0x61, 0x3D, 0xFF]) == nil)
        #expect(FormParameters.parse(Array("=value".utf8)) == nil)
        let many = (0...FormParameters.maxPairs).map { "k\($0)=v" }.joined(separator: "&")
        #expect(FormParameters.parse(Array(many.utf8)) == nil)
    }
}
