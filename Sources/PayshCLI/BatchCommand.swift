import ArgumentParser
import Foundation
import JSON
import PaymentsCore

/// `paysh batch list` and `paysh batch status NAME`: the ledgers of
/// `paysh.batch` (docs/batches.md).
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paysh batch",
        abstract: "Show the batches paysh.batch ran from this machine, and how far each item got.",
        discussion: "The ledger is $PAYSH_LEDGER, else batches.sqlite next to the journal. See docs/batches.md.",
        subcommands: [List.self, Status.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every batch, newest first, with its counts.")

        @Flag(help: "One JSON object per line instead of the table.")
        var json = false

        func run() throws {
            let ledger = BatchLedger(environment: ProcessInfo.processInfo.environment)
            let batches = try BatchCommand.attempt { () throws(PaymentsError) in try ledger.batches() }
            if json {
                for batch in batches { Console.out(try JSONValue.object(BatchCommand.json(batch)).encodedString() + "\n") }
                return
            }
            guard !batches.isEmpty else {
                Console.out("no batches yet in \(ledger.path)\n")
                return
            }
            let header = ["name", "profile", "updated", "items", "done", "failed", "sent", "pending"]
            let rows = batches.map { b in
                [b.name, b.profile, b.updatedAt, String(b.total)] + [BatchLedger.State.done, .failed, .sent, .pending].map { String(b.counts[$0] ?? 0) }
            }
            Console.out(BatchCommand.table(header, rows) + "\(batches.count) \(batches.count == 1 ? "batch" : "batches")\n")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "One batch: its counts, and every item not done (or all of them with --all).")

        @Argument(help: "The batch's name, as given to paysh.batch.")
        var name: String

        @Flag(help: "List the items that are done too.")
        var all = false

        @Flag(help: "One JSON object per item instead of the table (every item).")
        var json = false

        func run() throws {
            let ledger = BatchLedger(environment: ProcessInfo.processInfo.environment)
            guard let summary = try BatchCommand.attempt({ () throws(PaymentsError) in try ledger.summary(of: name) }) else {
                Console.error("paysh batch: no batch \"\(name)\" in \(ledger.path) (paysh batch list shows them)\n")
                throw ExitCode.failure
            }
            let items = try BatchCommand.attempt { () throws(PaymentsError) in try ledger.items(of: name) }
            if json {
                for item in items {
                    let object: JSONObject = [
                        "key": .string(item.key), "state": .string(item.state.rawValue), "attempts": .integer(Int64(item.attempts)),
                        "remote_id": item.remoteID.map(JSONValue.string) ?? .null, "reason": item.reason.map(JSONValue.string) ?? .null,
                        "retryable": .bool(item.retryable), "updated_at": .string(item.updatedAt),
                    ]
                    Console.out(try JSONValue.object(object).encodedString() + "\n")
                }
                return
            }
            let counts = [BatchLedger.State.done, .failed, .sent, .pending].map { "\(summary.counts[$0] ?? 0) \($0.rawValue)" }
            var text = "\(summary.name) (profile \(summary.profile)): \(summary.total) items — \(counts.joined(separator: ", "))\n"
            let shown = all ? items : items.filter { $0.state != .done }
            if !shown.isEmpty {
                text += BatchCommand.table(["key", "state", "attempts", "remote id", "reason"], shown.map { item in
                    [item.key, item.state.rawValue + (item.state == .failed && item.retryable ? " (retryable)" : ""), String(item.attempts),
                     item.remoteID ?? "", item.reason ?? ""]
                })
            }
            if (summary.counts[.sent] ?? 0) > 0 {
                text += "items still sent have an outcome nobody learnt: run the batch again to settle them\n"
            }
            Console.out(text)
        }
    }

    /// A ledger read, its failure said in one line.
    static func attempt<T>(_ body: () throws(PaymentsError) -> T) throws -> T {
        do { return try body() } catch {
            Console.error("paysh batch: \(error.message)\n")
            throw ExitCode.failure
        }
    }

    static func json(_ batch: BatchLedger.Summary) -> JSONObject {
        var counts = JSONObject()
        for state in BatchLedger.State.allCases { counts[state.rawValue] = .integer(Int64(batch.counts[state] ?? 0)) }
        return ["name": .string(batch.name), "profile": .string(batch.profile), "created_at": .string(batch.createdAt),
                "updated_at": .string(batch.updatedAt), "items": .integer(Int64(batch.total)), "counts": .object(counts)]
    }

    /// Aligned columns, two spaces apart, a line of dashes under the header.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }
}
