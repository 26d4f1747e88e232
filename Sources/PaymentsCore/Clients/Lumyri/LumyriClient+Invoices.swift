import JSON

/// Invoices ("orders"): list with filters, page by page; get one; pay one.
extension LumyriClient {
    /// One page of `GET /payments/orders`: `page` from 1, `perPage` 1…100, newest period first.
    public func invoicesPage(_ filter: InvoiceFilter = InvoiceFilter(), page: Int = 1, perPage: Int = 10) async throws(PaymentsError) -> InvoicePage {
        let operation = "lumyri.invoices"
        let check = caller.check(operation)
        let query = [("page", String(try check.atLeast(1, page, "page"))), ("perPage", String(try check.pageSize(perPage, "perPage")))]
            + (try filter.query(check))
        let request = APIRequest(operation: operation, method: "GET", path: "/payments/orders", query: query)
        return try await caller.object(request, as: InvoicePage.self, path: "answer")
    }

    /// Every invoice matching `filter`, `perPage` (1…100) per request,
    /// fetched as iteration reaches each page. The arguments are checked now;
    /// nothing is sent until iteration starts.
    public func invoices(_ filter: InvoiceFilter = InvoiceFilter(), perPage: Int = 100) throws(PaymentsError) -> Pages<InvoicePage> {
        let check = caller.check("lumyri.invoices")
        _ = try filter.query(check)
        let size = try check.pageSize(perPage, "perPage")
        return Pages(pageSize: size) { index throws(PaymentsError) in
            try await self.invoicesPage(filter, page: index + 1, perPage: size)
        }
    }

    /// `GET /payments/orders/{id}`.
    public func invoice(id: String) async throws(PaymentsError) -> Invoice {
        try await caller.object(invoiceRequest(id: id), as: Invoice.self, path: "invoice")
    }

    func invoiceRequest(id: String) throws(PaymentsError) -> APIRequest {
        let operation = "lumyri.invoice"
        let id = try caller.check(operation).id(id, "id")
        return APIRequest(operation: operation, method: "GET", path: Self.path("/payments/orders", id))
    }

    /// `PUT /payments/orders/{id}/pay`: charge the default card for the invoice.
    ///
    /// A decline is a 402 `clientError` (the invoice stays payable); an
    /// invoice already paid is a 409 and nothing is charged. After an unknown
    /// outcome the invoice is read: `Succeeded` means the charge happened and
    /// that invoice is the answer; otherwise the payment is sent again.
    public func payInvoice(id: String) async throws(PaymentsError) -> Invoice {
        let operation = "lumyri.pay_invoice"
        let id = try caller.check(operation).id(id, "id")
        let request = APIRequest(operation: operation, method: "PUT", path: Self.path("/payments/orders", id, "/pay"),
                                 movesMoney: true, reference: id)
        let current = isDryRun ? try await invoice(id: id) : nil
        return try await caller.object(request, as: Invoice.self, path: "invoice", reconcile: { () async throws(PaymentsError) in
            let look = try self.invoiceRequest(id: id)
            let answer = try await self.connection.perform(look)
            let invoice = try self.caller.model(answer, as: Invoice.self, operation: look.operation, path: "invoice")
            return invoice.isPaid ? .applied(answer) : .notApplied
        }, dryRunAnswer: { _ in
            var made = current?.json ?? ["id": .string(id)]
            made["status"] = "Succeeded"
            made["paymentId"] = .string(Self.dryRunID())
            made["metadata"] = [:]
            return Caller.dryRun(made)
        })
    }
}
