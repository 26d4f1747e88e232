import Foundation
import Glibc
import PaymentsCore

/// Questions to the person at the terminal, asked on `/dev/tty` so that a
/// script's redirected stdin and stdout are left alone.
enum TerminalPrompt {
    /// Ask `question`; the answer, or nil when there is no terminal or input ended.
    /// With `echo` false the typed characters are not shown (a card number, a CVV).
    static func ask(_ question: String, echo: Bool = true) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        write(fd, question)
        var saved = termios()
        let canHide = !echo && tcgetattr(fd, &saved) == 0
        if canHide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if canHide {
                tcsetattr(fd, TCSAFLUSH, &saved)
                write(fd, "\n")
            }
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }

    /// Ask a yes/no question: true for `y`/`yes`, false for anything else,
    /// nil when there is no terminal to ask on.
    static func confirm(_ question: String) -> Bool? {
        ask(question).map { ["y", "yes"].contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
    }

    private static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}

extension PayshRuntime {
    /// Before a money-moving call on a production profile: go ahead with
    /// `--yes` or `--dry-run`, ask the person at the terminal, refuse when
    /// nobody is there. The sandbox and other profiles never ask.
    func confirm(_ function: String, _ action: String) throws(PaymentsError) {
        let profile = try profile()
        guard profile.production, !options.yes, !options.dryRun else { return }
        guard options.interactive else {
            throw PaymentsError(kind: .validation, service: "paysh", operation: function, code: "confirmation_required",
                                message: "will not \(action) on production profile \"\(profile.name)\" without confirmation, "
                                    + "and nobody is at the terminal to confirm; pass --yes to go ahead (or --dry-run to see the request)")
        }
        guard TerminalPrompt.confirm("\(function): \(action) on production profile \"\(profile.name)\"? [y/N] ") == true else {
            throw PaymentsError(kind: .validation, service: "paysh", operation: function, code: "not_confirmed",
                                message: "not confirmed: nothing was sent")
        }
    }
}
