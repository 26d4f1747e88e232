import PayshCLI
import Testing

/// The parts of argument reading that the side-by-side table cannot reach:
/// paysh's own options and the subcommand rule.
@Suite struct ArgumentsTests {
    func argv(_ words: String...) -> [[UInt8]] { argv(words) }
    func argv(_ words: [String]) -> [[UInt8]] { (["paysh"] + words).map { Array($0.utf8) } }

    @Test func subcommandIsRecognisedOnlyAsTheFirstArgument() {
        let names: Set<String> = ["sandbox"]
        #expect(Arguments.parse(argv("sandbox", "--port", "1"), subcommands: names)
            == .subcommand("sandbox", arguments: [Array("--port".utf8), Array("1".utf8)]))
        guard case .run(let dotted) = Arguments.parse(argv("./sandbox"), subcommands: names),
              case .run(let dashed) = Arguments.parse(argv("--", "sandbox"), subcommands: names),
              case .run(let later) = Arguments.parse(argv("-e", "x=1", "sandbox"), subcommands: names)
        else {
            Issue.record("a script named like a subcommand must still run as a script")
            return
        }
        #expect(dotted.script == Array("./sandbox".utf8))
        #expect(dashed.script == Array("sandbox".utf8))
        #expect(later.script == Array("sandbox".utf8))
    }

    @Test func withoutSubcommandsAWordIsAScript() {
        guard case .run(let args) = Arguments.parse(argv("sandbox")) else {
            Issue.record("expected a script")
            return
        }
        #expect(args.script == Array("sandbox".utf8))
        #expect(args.scriptIndex == 1)
    }

    @Test func payshOptionsAreLongSpellingsLuaRejects() {
        guard case .run(let help) = Arguments.parse(argv("--help")),
              case .run(let version) = Arguments.parse(argv("--version"))
        else {
            Issue.record("--help and --version are paysh options")
            return
        }
        #expect(help.payshHelp)
        #expect(version.payshVersion)
        guard case .usageError(let bad, _) = Arguments.parse(argv("--helpme")) else {
            Issue.record("an unknown long option is lua's usage error")
            return
        }
        #expect(bad == Array("--helpme".utf8))
    }

    @Test func profileDebugAndDryRunAreReadBeforeTheScript() {
        guard case .run(let spaced) = Arguments.parse(argv("--profile", "live", "--debug", "--dry-run", "s.lua", "--profile", "x")),
              case .run(let joined) = Arguments.parse(argv("--profile=staging", "-e", "x=1"))
        else {
            Issue.record("--profile, --debug and --dry-run are paysh options")
            return
        }
        #expect(spaced.profile == "live" && spaced.debug && spaced.dryRun)
        #expect(spaced.script == Array("s.lua".utf8), "options after the script are the script's")
        #expect(joined.profile == "staging" && !joined.debug && !joined.dryRun)
        for bad in [["--profile"], ["--profile", "-e", "x"], ["--profile="], ["--debugx"]] {
            guard case .usageError(let option, _) = Arguments.parse(argv(bad)) else {
                Issue.record("\(bad) is a usage error")
                continue
            }
            #expect(option == Array(bad[0].utf8))
        }
    }

    @Test func reportTakesAFileAsTheProfileDoes() {
        guard case .run(let spaced) = Arguments.parse(argv("--report", "out.csv", "s.lua")),
              case .run(let joined) = Arguments.parse(argv("--report=items.csv", "--profile=live", "-e", "x=1"))
        else {
            Issue.record("--report is a paysh option")
            return
        }
        #expect(spaced.report == "out.csv" && spaced.script == Array("s.lua".utf8))
        #expect(joined.report == "items.csv" && joined.profile == "live")
        for bad in [["--report"], ["--report", "-e", "x"], ["--report="]] {
            guard case .usageError(let option, _) = Arguments.parse(argv(bad)) else {
                Issue.record("\(bad) is a usage error")
                continue
            }
            #expect(option == Array(bad[0].utf8))
        }
    }

    @Test func aMissingProfileNameIsReportedLikeLuasMissingArguments() throws {
        let dir = try fixtureDirectory("args-profile", files: [:])
        let run = try runShell(#""$BIN" --profile"#, binary: payshBinary, directory: dir)
        #expect(run.status == 1)
        #expect(run.stderr.contains(": '--profile' needs argument\nusage: "), "\(run.stderr)")
    }

    @Test func helpAndVersionPrintAndSucceed() throws {
        let dir = try fixtureDirectory("args", files: [:])
        let help = try runShell(#""$BIN" --help"#, binary: payshBinary, directory: dir)
        #expect(help.status == 0)
        #expect(help.stdout.contains("-l g=mod") && help.stdout.contains("--version"))
        #expect(help.stdout.contains("--profile NAME") && help.stdout.contains("--dry-run") && help.stdout.contains("paysh journal"))
        let version = try runShell(#""$BIN" --version"#, binary: payshBinary, directory: dir)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("paysh 0.1.0 (Lua 5.4"))
    }
}
