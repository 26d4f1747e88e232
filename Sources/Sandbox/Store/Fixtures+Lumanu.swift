import GRDB
import JSON

extension Fixtures {
    /// The quickstart's example payout under its documented id, exactly as shown.
    static let lumanuExamplePayoutID = "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9"
    static let lumanuExampleInvoice: Int64 = 206_466
    /// Workspaces of the sandbox client (the quickstart's first), and one of another client.
    static let lumanuWorkspaces = [
        (SandboxCredentials.lumanuWorkspaceID, "Sandbox Creators"),
        ("5d0c8a3e-6b1f-4f7a-9c2e-1a7b3c9d4e01", "Brand Partnerships"),
        ("c7e2f4a1-93b8-4d6e-8f05-2b6a9d1c3e47", "Affiliate Program"),
    ]
    static let lumanuOtherClient = "another-client"
    static let lumanuOtherWorkspace = ("e3b1c9d2-7f4a-4c8e-a1b6-9d0f2e5c7a13", "Another Client's Workspace")
    static let lumanuGeneratedPayouts = 180
    static let lumanuVendorCount = 36

    static let lumanuDomains = ["example.com", "creators.example", "studio.example"]
    static let lumanuDescriptions = [
        "Sponsored post", "Product review video", "Instagram story set", "Podcast ad read", "UGC photo bundle",
        "Affiliate commission", "Launch campaign", "TikTok series", "Newsletter feature", "Event appearance",
    ]
    static let lumanuCampaigns = ["Summer 2025", "Back to School", "Fall Launch", "Evergreen"]

    /// Lumanu's fixtures: workspaces, vendors in every state, and payouts in
    /// every status, all frozen (the clock moves only payouts created later).
    static func loadLumanu(into db: Database, random: inout SeededGenerator) throws {
        for (id, name) in lumanuWorkspaces { try db.saveLumanuWorkspace(id: id, name: name, client: SandboxCredentials.lumanuClientID) }
        try db.saveLumanuWorkspace(id: lumanuOtherWorkspace.0, name: lumanuOtherWorkspace.1, client: lumanuOtherClient)

        let example = LumanuTime.micros(2025, 9, 17, 15, 57, 4, micro: 482_673)
        let vendors = try lumanuVendors(into: db, before: example, random: &random)
        try lumanuPayouts(into: db, vendors: vendors, before: example, random: &random)

        try db.saveLumanu(LumanuVendor(email: LumanuPayoutRequest.documentedPayee))
        try db.saveLumanu(LumanuPayout(
            id: lumanuExamplePayoutID, workspaceID: SandboxCredentials.lumanuWorkspaceID, amount: 100,
            description: "My first payout via the API", dueDate: nil, invoiceNumber: lumanuExampleInvoice,
            vendorEmail: LumanuPayoutRequest.documentedPayee, status: nil, createdAt: example, statusAt: example,
            scheduled: false, customFields: []))
        try db.setSetting("counter." + LumanuAPI.invoiceCounter, String(lumanuExampleInvoice))
    }

    /// Vendors spread evenly over the three states (signed up and verified in 2025).
    static func lumanuVendors(into db: Database, before end: Int64, random: inout SeededGenerator) throws -> [LumanuVendor] {
        var vendors: [LumanuVendor] = []
        var taken: Set<String> = []
        let start = LumanuTime.micros(2025, 3, 1)
        for index in 0 ..< lumanuVendorCount {
            let first = lumenFirstNames.randomElement(using: &random)!, last = lumenLastNames.randomElement(using: &random)!
            var local = "\(first).\(last)".lowercased()
            if taken.contains(local) { local += String(index) }
            taken.insert(local)
            let email = local + "@" + lumanuDomains.randomElement(using: &random)!
            let state = VendorState.allCases[index % 3]
            let signedUp = Int64.random(in: start ..< end - 30 * LumanuTime.day, using: &random)
            let vendor = LumanuVendor(
                email: email, state: state, displayName: state == .awaitingSignup ? nil : "\(first) \(last)",
                signedUpAt: state == .awaitingSignup ? nil : signedUp,
                verifiedAt: state == .verified ? signedUp + Int64.random(in: 1 ... 72, using: &random) * LumanuTime.hour : nil)
            try db.saveLumanu(vendor)
            vendors.append(vendor)
        }
        return vendors
    }

    /// Payouts from May 2025 up to the example, invoice numbers rising with
    /// time below the example's; every status appears (the first six cycle
    /// through them), a verified vendor's payouts mostly paid.
    static func lumanuPayouts(into db: Database, vendors: [LumanuVendor], before end: Int64, random: inout SeededGenerator) throws {
        let start = LumanuTime.micros(2025, 5, 1)
        let times = (0 ..< lumanuGeneratedPayouts).map { _ in Int64.random(in: start ..< end - LumanuTime.hour, using: &random) }.sorted()
        let verified = vendors.filter { $0.state == .verified }
        let unpaid: [PayoutStatus?] = [nil, nil, .approved, .cancelled]
        let paid: [PayoutStatus?] = [.paid, .paid, .paid, .paid, .processing, .approved, nil, .failed, .cancelled]
        let every: [PayoutStatus?] = [nil] + PayoutStatus.allCases.map(Optional.some)
        for (index, createdAt) in times.enumerated() {
            let workspace = index % 12 == 11 ? lumanuOtherWorkspace.0 : lumanuWorkspaces.randomElement(using: &random)!.0
            let vendor = index < every.count ? verified.randomElement(using: &random)! : vendors.randomElement(using: &random)!
            let status = index < every.count ? every[index]
                : (vendor.state == .verified ? paid : unpaid).randomElement(using: &random)!
            var customFields: [JSONValue] = []
            if Int.random(in: 0 ..< 4, using: &random) == 0 {
                customFields.append(["name": "campaign", "value": .string(lumanuCampaigns.randomElement(using: &random)!)])
            }
            if index % 5 == 0 { customFields.append(["name": "paysh_ref", "value": .string(uuid(&random))]) }
            let dueDate = Int.random(in: 0 ..< 3, using: &random) == 0
                ? LumanuTime.dateString(days: LumanuTime.floorDivide(createdAt, LumanuTime.day) + 30) : nil
            try db.saveLumanu(LumanuPayout(
                id: uuid(&random), workspaceID: workspace,
                amount: Int64.random(in: 10 ... 2500, using: &random) * 100 + (index % 3 == 0 ? Int64.random(in: 1 ... 99, using: &random) : 0),
                description: lumanuDescriptions.randomElement(using: &random)!, dueDate: dueDate,
                invoiceNumber: lumanuExampleInvoice - Int64(lumanuGeneratedPayouts - index),
                vendorEmail: vendor.email, status: status, createdAt: createdAt,
                statusAt: status == nil ? createdAt : createdAt + Int64.random(in: 1 ... 96, using: &random) * LumanuTime.hour,
                scheduled: false, customFields: customFields))
        }
    }

    /// A random version-4 UUID, in lower case.
    static func uuid(_ random: inout SeededGenerator) -> String {
        var bytes = (0 ..< 16).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map(format2).joined()
        let cut = [8, 4, 4, 4, 12]
        var parts: [String] = [], index = hex.startIndex
        for length in cut {
            let next = hex.index(index, offsetBy: length)
            parts.append(String(hex[index ..< next]))
            index = next
        }
        return parts.joined(separator: "-")
    }
}
