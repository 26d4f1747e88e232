import JSON
import LuaKit
import PaymentsCore

/// `lumen.*`: payments and payment methods.
enum LumenBindings {
    static var bindings: [LuaBinding] {
        [
            LuaBinding(module: "lumen", name: "payments", LuaForm(
                [LuaParameter("filters", .record([LuaField("customerId", .id("a customer id"), "only this customer's payments")]),
                              optional: true, "filters")],
                summary: "The merchant's payments (of one customer with customerId), as a cursor.",
                returns: "a cursor of payments",
                example: #"lumen.payments{customerId = "cust_456"}:all()"#) { call in
                    let customer = call.record("filters")?["customerId"]?.stringValue
                    let client = try call.attempt { session throws(PaymentsError) in try session.lumen() }
                    let cursor = LuaCursor(operation: call.name, pageSize: Int.max, kind: "payment", runtime: call.runtime) { (_: Int) async throws(PaymentsError) -> CursorPage in
                        let payments = try await client.payments(customerId: customer)
                        return CursorPage(items: payments.map { .object($0.json) }, total: payments.count)
                    }
                    LuaCursor.push(cursor, on: call.stack)
                    return 1
                }),
            LuaBinding(module: "lumen", name: "payment", LuaForm(
                [LuaParameter("id", .id("a payment id"), "the payment")],
                summary: "One payment, with its customer and invoice.",
                returns: "the payment (a table)",
                example: #"lumen.payment("pay_123")"#) { call in
                    let id = call.string("id")!
                    return try call.performObject(kind: "payment") { session throws(PaymentsError) in try await session.lumen().payment(id: id) }
                }),
            LuaBinding(module: "lumen", name: "payment_method", LuaForm(
                [LuaParameter("id", .id("a payment method id"), "the payment method")],
                summary: "One payment method.",
                returns: "the payment method (a table)",
                example: #"lumen.payment_method("pm_123")"#) { call in
                    let id = call.string("id")!
                    return try call.performObject(kind: "payment_method") { session throws(PaymentsError) in
                        try await session.lumen().paymentMethod(id: id)
                    }
                }),
            LuaBinding(module: "lumen", name: "create_payment_method", LuaForm(
                [LuaParameter("method", .record([
                    LuaField("customerId", .id("a customer id"), required: true, "the customer it belongs to"),
                    LuaField("provider", .text("a provider"), required: true, "the processor (\"stripe\")"),
                    LuaField("paymentType", .text("a payment type"), required: true, "\"card\", ..."),
                    LuaField("externalPaymentMethodId", .id("the processor's id"), required: true,
                             "the processor's id of the method; unique per merchant, which makes a retry safe"),
                    LuaField("status", .text("a status"), "default \"active\""),
                    LuaField("cardBrand", .text("a card brand"), required: true, "\"visa\", ...; the API requires it for paymentType \"card\""),
                    LuaField("cardLastFour", .text("4 digits"), required: true, "the card's last four digits"),
                ]), "the new payment method")],
                summary: "Record a payment method a processor holds for a customer.",
                returns: "the payment method (a table)",
                example: #"lumen.create_payment_method{customerId = "cust_123", provider = "stripe", paymentType = "card", externalPaymentMethodId = "pm_ext_123", cardBrand = "visa", cardLastFour = "4242"}"#,
                effect: .change) { call in
                    let m = call.record("method")!
                    let method = NewPaymentMethod(customerId: m["customerId"]?.stringValue ?? "", provider: m["provider"]?.stringValue ?? "",
                                                  paymentType: m["paymentType"]?.stringValue ?? "",
                                                  externalPaymentMethodId: m["externalPaymentMethodId"]?.stringValue ?? "",
                                                  status: m["status"]?.stringValue ?? "active", cardBrand: m["cardBrand"]?.stringValue,
                                                  cardLastFour: m["cardLastFour"]?.stringValue)
                    return try call.performObject(kind: "payment_method") { session throws(PaymentsError) in
                        try await session.lumen().createPaymentMethod(method)
                    }
                }),
        ] + RawBindings.bindings(for: "lumen")
    }
}
