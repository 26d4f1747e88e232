import Foundation
import PaymentsCore
import Testing

/// The argument rules of the typed clients, one by one.
@Suite struct ValidationTests {
    let check = ArgumentCheck(service: .lumyri, operation: "lumyri.create_card")

    /// The message of the validation error `body` throws (nil when it throws none).
    func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PaymentsError {
            #expect(error.kind == .validation && error.operation == "lumyri.create_card" && error.service == "lumyri")
            return error.message
        } catch {
            Issue.record("not a PaymentsError: \(error)")
            return nil
        }
    }

    @Test func centsMustBeWholeAndPositive() throws {
        #expect(try check.cents(1, "amount") == 1)
        #expect(try check.cents(Int64.max, "amount") == Int64.max)
        #expect(refusal { _ = try check.cents(0, "amount") } == "amount: expected a whole number of cents greater than 0, got 0")
        #expect(refusal { _ = try check.cents(-1, "amount") }?.contains("got -1") == true)
    }

    @Test func decimalAmountsHaveAtMostTwoPlaces() throws {
        for good in ["0", "100", "99.5", "99.50", "174.08"] { #expect(try check.decimalAmount(good, "min") == good) }
        for bad in ["", "-1", "1.234", "1.", ".5", "1e2", "ten", "1,5"] {
            #expect(refusal { _ = try check.decimalAmount(bad, "min") }?.hasPrefix("min: expected a non-negative amount") == true, "\(bad)")
        }
    }

    @Test func currenciesAreThreeLowerCaseLetters() throws {
        #expect(try check.currency("usd", "currency") == "usd")
        for bad in ["USD", "us", "usdc", "u5d", ""] { #expect(refusal { _ = try check.currency(bad, "currency") } != nil, "\(bad)") }
    }

    @Test func emailsNeedALocalPartADomainAndALetterTopLevel() throws {
        #expect(try check.email(" ada+payouts@mail.example.co.uk ", "payee_email") == "ada+payouts@mail.example.co.uk")
        for bad in ["ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "a da@example.com", "ada@exa_mple.com",
                    "ada@example.c0m", ".ada@example.com", "ada..b@example.com", "ada@-example.com", "[email protected]"] {
            #expect(refusal { _ = try check.email(bad, "payee_email") }?.contains("e-mail address") == true, "\(bad)")
        }
    }

    @Test func daysMustExist() throws {
        for good in ["2028-02-29", "2000-02-29", "2025-12-31", "2025-01-01"] { #expect(try check.day(good, "due_date") == good) }
        for bad in ["2025-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-1-01", "25-01-01", "2025/01/01", "2025-01-01T00:00:00Z"] {
            #expect(refusal { _ = try check.day(bad, "due_date") }?.contains("YYYY-MM-DD") == true, "\(bad)")
        }
    }

    @Test func isoDatesAndTimesAreAccepted() throws {
        for good in ["2023-02-01", "2023-02-01T00:00:00Z", "2023-02-01T00:00:00.000Z", "2023-02-01T09:30:00+01:00"] {
            #expect(try check.isoDateOrTime(good, "startAt") == good)
        }
        for bad in ["yesterday", "2023-02-30", "2023-02-01 00:00", "01/02/2023", ""] {
            #expect(refusal { _ = try check.isoDateOrTime(bad, "startAt") }?.contains("ISO 8601") == true, "\(bad)")
        }
    }

    @Test func pageSizesAreOneToAHundred() throws {
        #expect(try check.pageSize(1, "perPage") == 1 && check.pageSize(100, "perPage") == 100)
        #expect(refusal { _ = try check.pageSize(0, "perPage") } == "perPage: expected a page size from 1 to 100, got 0")
        #expect(refusal { _ = try check.pageSize(101, "perPage") }?.contains("got 101") == true)
    }

    @Test func idsMustNotBeEmptyOrBlank() throws {
        #expect(try check.id("pm_123", "id") == "pm_123")
        #expect(refusal { _ = try check.id("", "id") } == "id: expected a non-empty id, got an empty string")
        #expect(refusal { _ = try check.id("   ", "id") } == "id: expected a non-empty id, got only spaces")
    }

    @Test func cardNumbersAreLuhnValidThirteenToNineteenDigits() throws {
        #expect(try check.cardNumber("4242 4242 4242 4242", "cardNumber") == "4242424242424242")
        #expect(try check.cardNumber("5555-5555-5555-4444", "cardNumber") == "5555555555554444")
        #expect(try check.cardNumber("4222222222222", "cardNumber") == "4222222222222", "13 digits")
        #expect(try check.cardNumber("6011000990139424", "cardNumber") == "6011000990139424")

        let luhn = try #require(refusal { _ = try check.cardNumber("4242424242424241", "cardNumber") })
        #expect(luhn == "cardNumber: expected a valid card number (it must pass the Luhn check), got 16 digits (424242******4241), which fails it")
        let short = try #require(refusal { _ = try check.cardNumber("424242424242", "cardNumber") })
        #expect(short.contains("13 to 19 digits") && short.contains("got 12 digits") && !short.contains("424242424242"))
        let long = try #require(refusal { _ = try check.cardNumber("42424242424242424242", "cardNumber") })
        #expect(long.contains("got 20 digits") && !long.contains("42424242424242424242"))
        let letters = try #require(refusal { _ = try check.cardNumber("4242 4242 4242 424x", "cardNumber") })
        #expect(letters.contains("not shown") && !letters.contains("4242"))
        #expect(refusal { _ = try check.cardNumber("", "cardNumber") }?.contains("no digits") == true)
    }

    @Test func securityCodesAreThreeOrFourDigitsAndNeverQuoted() throws {
        #expect(try check.cvv("123", "cvv") == "123" && check.cvv("1234", "cvv") == "1234")
        for bad in ["12", "12345", "12a", "", "１２３"] {
            let message = try #require(refusal { _ = try check.cvv(bad, "cvv") }, "\(bad)")
            #expect(message.hasPrefix("cvv: expected a security code of 3 or 4 digits"))
            #expect(bad.isEmpty || !message.contains(bad))
        }
    }

    @Test func anExpiryIsGoodThroughItsMonth() throws {
        // 31 March 2031, 23:00 UTC.
        let now = Date(timeIntervalSince1970: 1_932_764_400)
        try check.expiry(month: 3, year: 2031, now: now, "info")
        try check.expiry(month: 1, year: 2032, now: now, "info")
        #expect(refusal { try check.expiry(month: 2, year: 2031, now: now, "info") }
            == "info: expected an expiry not in the past (this month is 3/2031), got 2/2031")
        #expect(refusal { try check.expiry(month: 12, year: 2030, now: now, "info") }?.contains("got 12/2030") == true)
        #expect(refusal { try check.expiry(month: 0, year: 2032, now: now, "info") } == "info.expMonth: expected a month from 1 to 12, got 0")
        #expect(refusal { try check.expiry(month: 13, year: 2032, now: now, "info") }?.contains("got 13") == true)
        #expect(refusal { try check.expiry(month: 5, year: 32, now: now, "info") } == "info.expYear: expected a four-digit year, got 32")
    }

    @Test func choicesNameWhatIsAllowed() throws {
        #expect(try check.oneOf("PAYPAL", ["Card", "paypal"], "method", ignoringCase: true) == "paypal")
        #expect(refusal { _ = try check.oneOf("Paid", ["Processing", "Succeeded"], "status") } == #"status: expected one of Processing, Succeeded, got "Paid""#)
        #expect(refusal { _ = try check.oneOf("card", ["Card"], "method") } != nil, "case counts unless told otherwise")
    }

    @Test func quotedValuesAreCutAndMasked() throws {
        let message = try #require(refusal { _ = try check.email("4242424242424242@" + String(repeating: "x", count: 100), "payee_email") })
        #expect(!message.contains("4242424242424242") && message.contains("424242******4242") && message.contains("…"))
    }
}
