import Foundation
import Testing

/// `paysh sandbox` as a process: what it prints, and what its state file
/// survives (a restart; `kill -9` in the middle of a burst of writes).
@Suite struct SandboxCommandTests {
    /// Bash that starts the sandbox on a free port with `STATE`, waits for its
    /// export lines, and loads them (so `$LUMEN_BASE_URL` etc. are set).
    static let start = #"""
        start_sandbox() {
          : > env.txt
          "$BIN" sandbox --port 0 --state "$STATE" "$@" > env.txt 2> log.txt & SANDBOX=$!
          for _ in $(seq 200); do grep -q LUMYRI_ACCESS_TOKEN env.txt && break; sleep 0.05; done
          . ./env.txt
        }
        create_method() { # $1: external id; prints the HTTP status
          curl -s -o /dev/null -w '%{http_code}' -X POST "$LUMEN_BASE_URL/payment-methods" \
            -H "Authorization: Bearer $LUMEN_API_KEY" -H 'Content-Type: application/json' \
            -d '{"customerId":"cust_123","provider":"stripe","paymentType":"card","externalPaymentMethodId":"'"$1"'","status":"active","cardBrand":"visa","cardLastFour":"4242"}'
        }
        """#

    @Test func printsExportLinesOnStdoutAndCredentialsOnStderr() throws {
        let dir = try fixtureDirectory("sandbox-print", files: [:])
        let snippet = Self.start + "\n" + #"""
            STATE=$PWD/state.sqlite start_sandbox
            kill -TERM $SANDBOX; wait $SANDBOX
            echo "status $?"
            cat env.txt; echo ---; cat log.txt
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: dir, timeout: 60)
        for name in ["LUMANU_TOKEN_URL", "LUMANU_AUDIENCE", "LUMANU_BASE_URL", "LUMANU_CLIENT_ID", "LUMANU_CLIENT_SECRET",
                     "LUMANU_WORKSPACE_ID", "LUMEN_BASE_URL", "LUMEN_API_KEY", "LUMYRI_BASE_URL", "LUMYRI_ACCESS_TOKEN"] {
            #expect(outcome.stdout.contains("export \(name)='"), "\(name) missing:\n\(outcome)")
        }
        let log = outcome.stdout.components(separatedBy: "---").last ?? ""
        #expect(log.contains("no real money moves"))
        #expect(log.contains("paysh-sandbox-secret"))
        #expect(outcome.stdout.contains("status 0"), "SIGTERM stops the sandbox cleanly:\n\(outcome)")
    }

    @Test func refusesToListenBeyondLoopbackWithoutBeingAsked() throws {
        let dir = try fixtureDirectory("sandbox-remote", files: [:])
        let outcome = try runShell(#""$BIN" sandbox --memory --host 0.0.0.0 --port 0"#, binary: payshBinary, directory: dir, timeout: 30)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--allow-remote"), "\(outcome)")
    }

    @Test(arguments: [
        ("--faults 'meteor:0.5'", "unknown fault kind"),
        ("--memory --state x.sqlite", "cannot be used together"),
        ("--port 70000", "--port must be between 0 and 65535"),
        ("--token-ttl 0", "--token-ttl must be a positive"),
        ("--colour blue", "Unknown option"),
    ])
    func badOptionsAreRefusedWithTheReason(options: String, reason: String) throws {
        let dir = try fixtureDirectory("sandbox-options", files: [:])
        let outcome = try runShell(#""$BIN" sandbox --port 0 "# + options, binary: payshBinary, directory: dir, timeout: 30)
        #expect(outcome.status != 0, "\(outcome)")
        #expect(outcome.stderr.contains(reason), "\(outcome)")
        #expect(outcome.stderr.hasPrefix("paysh sandbox: "), "\(outcome)")
    }

    @Test func aPortInUseIsNamedWithAWayOut() throws {
        let dir = try fixtureDirectory("sandbox-port", files: [:])
        let snippet = Self.start + "\n" + #"""
            STATE=$PWD/state.sqlite start_sandbox
            port=${LUMEN_BASE_URL##*:}; port=${port%%/*}
            "$BIN" sandbox --memory --port "$port" > /dev/null 2> second.txt; echo "second $?"
            kill -TERM $SANDBOX; wait $SANDBOX
            cat second.txt
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: dir, timeout: 60)
        #expect(outcome.stdout.contains("second 1"), "\(outcome)")
        #expect(outcome.stdout.contains("is already in use") && outcome.stdout.contains("--port 0"), "\(outcome)")
    }

    @Test func helpDescribesTheOptions() throws {
        let dir = try fixtureDirectory("sandbox-help", files: [:])
        let outcome = try runShell(#""$BIN" sandbox --help"#, binary: payshBinary, directory: dir, timeout: 30)
        #expect(outcome.status == 0)
        for option in ["--port", "--state", "--memory", "--reset", "--seed", "--token-ttl", "--faults"] {
            #expect(outcome.stdout.contains(option), "\(option) in help:\n\(outcome)")
        }
    }

    /// Bash printing the local addresses (`/proc/net/tcp` hex, `0100007F:1C91`)
    /// of the TCP sockets process `$1` listens on.
    static let listening = #"""
        listening_of() {
          inodes=" $(ls -l /proc/$1/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]/\1/p' | tr '\n' ' ') "
          for table in /proc/net/tcp /proc/net/tcp6; do
            [ -r $table ] && awk -v list="$inodes" 'NR > 1 && $4 == "0A" && index(list, " " $10 " ") { print $2 }' $table
          done
        }
        """#

    /// Every listening socket of `paysh sandbox` (run as it is by default) and
    /// of the sandbox paysh starts for itself is on 127.0.0.1, and the
    /// machine's other addresses refuse the port.
    @Test func theSandboxListensOnLoopbackOnlyByDefault() throws {
        let dir = try fixtureDirectory("sandbox-loopback", files: ["listening.sh": Self.listening + "\nlistening_of \"$1\"\n"])
        let snippet = Self.start + "\n" + Self.listening + "\n" + #"""
            STATE=$PWD/state.sqlite start_sandbox
            port=${LUMEN_BASE_URL#http://127.0.0.1:}; port=${port%%/*}
            echo "port $port"
            listening_of $SANDBOX | sed 's/^/standalone /'
            for address in $(hostname -I 2>/dev/null); do
              case $address in 127.*|*:*) continue ;; esac
              curl -s -o /dev/null --max-time 5 "http://$address:$port/_sandbox/clock"; echo "from $address curl $?"
            done
            kill -TERM $SANDBOX; wait $SANDBOX
            env -u LUMEN_BASE_URL -u LUMEN_API_KEY -u LUMANU_BASE_URL -u LUMANU_TOKEN_URL -u LUMYRI_BASE_URL \
              XDG_DATA_HOME=$PWD/data "$BIN" -e 'lumen.payments():first(); os.execute("sh listening.sh $PPID > inside.txt")'
            echo "in-process status $?"
            sed 's/^/in-process /' inside.txt
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: dir, timeout: 90)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let port = try #require(lines.first { $0.hasPrefix("port ") }.flatMap { Int($0.dropFirst(5)) }, "\(outcome)")
        let standalone = lines.filter { $0.hasPrefix("standalone ") }.map { $0.dropFirst("standalone ".count) }
        #expect(standalone == [Substring(String(format: "0100007F:%04X", port))], "listening on 127.0.0.1:\(port) only:\n\(outcome)")
        for refused in lines where refused.hasPrefix("from ") {
            #expect(refused.hasSuffix("curl 7"), "another address of this machine must refuse the port: \(refused)")
        }
        #expect(lines.contains("in-process status 0"), "\(outcome)")
        let inside = lines.filter { $0.hasPrefix("in-process 0") || $0.hasPrefix("in-process 1") || $0.hasPrefix("in-process 2") }
            .filter { !$0.hasPrefix("in-process status") }
        #expect(!inside.isEmpty, "paysh started its own sandbox and it listens:\n\(outcome)")
        for socket in inside { #expect(socket.hasPrefix("in-process 0100007F:"), "the built-in sandbox listens on loopback only: \(socket)") }
    }

    @Test func stateSurvivesARestartOnTheSameFile() throws {
        let dir = try fixtureDirectory("sandbox-restart", files: [:])
        let snippet = Self.start + "\n" + #"""
            export STATE=$PWD/state.sqlite
            start_sandbox
            echo "create $(create_method pm_ext_restart)"
            kill -TERM $SANDBOX; wait $SANDBOX
            start_sandbox
            echo "again $(create_method pm_ext_restart)"
            kill -TERM $SANDBOX; wait $SANDBOX
            start_sandbox --reset
            echo "after reset $(create_method pm_ext_restart)"
            kill -TERM $SANDBOX; wait $SANDBOX
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: dir, timeout: 90)
        #expect(outcome.stdout.contains("create 201"), "\(outcome)")
        #expect(outcome.stdout.contains("again 409"), "the method made before the restart is still there:\n\(outcome)")
        #expect(outcome.stdout.contains("after reset 201"), "--reset starts from the fixtures:\n\(outcome)")
    }

    @Test func killDashNineDuringABurstOfWritesLeavesAConsistentFile() throws {
        let dir = try fixtureDirectory("sandbox-kill9", files: [:])
        let snippet = Self.start + "\n" + #"""
            export STATE=$PWD/state.sqlite
            start_sandbox
            ( for i in $(seq 1 400); do echo "$i $(create_method burst_$i)"; done > answers.txt ) & WRITER=$!
            sleep 0.7
            kill -KILL $SANDBOX; wait $SANDBOX 2>/dev/null
            wait $WRITER
            echo "integrity $(sqlite3 "$STATE" 'PRAGMA integrity_check')"
            answered=$(grep -c ' 201$' answers.txt)
            echo "answered $answered"
            start_sandbox
            stored=$(curl -s -H "Authorization: Bearer $LUMEN_API_KEY" "$LUMEN_BASE_URL/payment-methods/pm_123" -o /dev/null -w '%{http_code}')
            echo "reopened $stored"
            missing=0
            for i in $(grep ' 201$' answers.txt | cut -d' ' -f1); do
              [ "$(create_method burst_$i)" = 409 ] || missing=$((missing + 1))
            done
            echo "missing $missing"
            kill -TERM $SANDBOX; wait $SANDBOX
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: dir, timeout: 180)
        #expect(outcome.stdout.contains("integrity ok"), "\(outcome)")
        #expect(outcome.stdout.contains("reopened 200"), "\(outcome)")
        #expect(outcome.stdout.contains("missing 0"), "every acknowledged write survived:\n\(outcome)")
        let answered = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("answered ") }.flatMap { Int($0.dropFirst(9)) } ?? 0
        #expect(answered > 0, "the burst was under way when the sandbox was killed:\n\(outcome)")
        #expect(answered < 400, "the sandbox was killed before the burst ended:\n\(outcome)")
    }
}
