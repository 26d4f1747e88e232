import Foundation
import HTTPTypes
import JSON
import Sandbox
import Testing

/// Ids, credentials and helpers of the Lumyri tests.
enum Lumyri {
    static let token = SandboxCredentials.lumyriAccessToken
    static let otherToken = SandboxCredentials.lumyriOtherAccessToken
    static let company = "956865a9-b9f7-4198-87eb-10b4f0f411c9"
    static let defaultCard = "02953731-1769-414f-a231-03541c3387ae"
    static let createdCard = "1244ff21-7bfb-4a56-b4bb-44f11934d78d"
    static let expiredCard = "dcc81a1c-a89c-4cb8-abee-208eb479921a"
    static let invoice = "4e872310-58fb-40bf-9494-68731fb3d6b4"

    static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { raw throws(JSONError) in try JSONValue(parsing: UnsafeRawBufferPointer(raw)) }
    }

    /// The JSON types of a value, keys in order: `{"id":string,"n":number,...}`;
    /// an array by its first element.
    static func shape(_ value: JSONValue?) -> String {
        switch value {
        case nil: return "missing"
        case .null?: return "null"
        case .bool?: return "boolean"
        case .integer?, .double?, .number?: return "number"
        case .string?: return "string"
        case .array(let items)?: return "[" + (items.first.map { shape($0) } ?? "") + "]"
        case .object(let object)?: return "{" + object.members.map { "\($0.key):\(shape($0.value))" }.joined(separator: ",") + "}"
        }
    }

    /// A year in which a card made now is still good.
    static func futureYear(_ sandbox: SandboxHarness) -> Int {
        Calendar(identifier: .gregorian).component(.year, from: sandbox.running.sandbox.clock.now) + 3
    }

    /// A create-card body; `info` members can be replaced or removed (nil).
    static func cardBody(_ sandbox: SandboxHarness, number: String = "4242424242424242", cvv: String = "8371",
                         isDefault: Bool? = nil, info overrides: [String: String?] = [:], extra: String = "") -> String {
        var info: [(String, String?)] = [
            ("cardName", #""Ada Lovelace""#), ("cardNumber", "\"\(number)\""), ("expMonth", "12"),
            ("expYear", String(futureYear(sandbox))), ("cvv", "\"\(cvv)\""), ("country", #""USA""#),
        ]
        for (key, value) in overrides {
            if let index = info.firstIndex(where: { $0.0 == key }) { info[index].1 = value } else { info.append((key, value)) }
        }
        let infoText = info.compactMap { key, value in value.map { "\"\(key)\": \($0)" } }.joined(separator: ", ")
        let flag = isDefault.map { "\"isDefault\": \($0), " } ?? ""
        return "{\(flag)\"addressInfo\": {\"firstName\": \"Ada\", \"country\": \"UK\"}, \"info\": {\(infoText)}\(extra)}"
    }
}

extension SandboxHarness {
    /// A Lumyri request: `path` below the `/lumyri` prefix, the example company's token unless told.
    @discardableResult
    func lumyri(_ method: HTTPRequest.Method, _ path: String, token: String? = Lumyri.token,
                json: String? = nil) async throws -> (HTTPResponse.Status, JSONValue?) {
        try await request(method, "/lumyri" + path, bearer: token, json: json)
    }

    /// Add a card (default unless told) and return its id.
    func addCard(_ number: String, isDefault: Bool = true, token: String = Lumyri.token) async throws -> String {
        let (status, body) = try await lumyri(.post, "/payments/cards", token: token, json: Lumyri.cardBody(self, number: number, isDefault: isDefault))
        try #require(status == .created, "\(String(describing: body))")
        return try #require(body?["id"]?.stringValue)
    }

    /// The company's cards as listed.
    func cards(token: String = Lumyri.token) async throws -> [JSONValue] {
        let (status, body) = try await lumyri(.get, "/payments/cards", token: token)
        try #require(status == .ok)
        return try #require(body?.arrayValue)
    }

    /// Every invoice of the company matching `query`, all pages walked.
    func allInvoices(_ query: String = "", token: String = Lumyri.token) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var page = 1
        while true {
            let (status, body) = try await lumyri(.get, "/payments/orders?perPage=100&page=\(page)\(query.isEmpty ? "" : "&" + query)", token: token)
            try #require(status == .ok, "\(String(describing: body))")
            let data = try #require(body?["data"]?.arrayValue)
            items += data
            if data.count < 100 { return items }
            page += 1
        }
    }
}
