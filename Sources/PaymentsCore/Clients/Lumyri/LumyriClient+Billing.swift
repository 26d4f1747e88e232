import JSON

/// Billing information: read whole, update in part.
extension LumyriClient {
    /// `GET /payments/billing-information`.
    public func billingInformation() async throws(PaymentsError) -> BillingInformation {
        let request = APIRequest(operation: "lumyri.billing", method: "GET", path: "/payments/billing-information")
        return try await caller.object(request, as: BillingInformation.self, path: "billingInformation")
    }

    /// `PUT /payments/billing-information`: only the members set in `update` change.
    public func updateBillingInformation(_ update: BillingUpdate) async throws(PaymentsError) -> BillingInformation {
        let operation = "lumyri.update_billing"
        let body = try update.body(caller.check(operation))
        let request = APIRequest(operation: operation, method: "PUT", path: "/payments/billing-information", body: .object(body))
        let current = isDryRun ? try await billingInformation() : nil
        return try await caller.object(request, as: BillingInformation.self, path: "billingInformation", dryRunAnswer: { _ in
            var made = current?.json ?? [:]
            for member in body { made[member.key == "zipCode" ? "postalCode" : member.key] = member.value }
            return Caller.dryRun(made)
        })
    }
}
