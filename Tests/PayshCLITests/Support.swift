import Foundation

/// Where the built `paysh` is: `PAYSH_BIN`, else the package's debug build.
let payshBinary: String = {
    if let bin = ProcessInfo.processInfo.environment["PAYSH_BIN"] { return bin }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/paysh").path
}()

/// What a process did: its output streams and exit status.
struct Outcome: Equatable, CustomStringConvertible {
    var stdout: String
    var stderr: String
    var status: Int32

    var description: String { "status \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }

    /// Addresses differ from run to run (`table: 0x55d0...`); compare them as one token.
    var normalised: Outcome {
        let pattern = try! NSRegularExpression(pattern: "0x[0-9a-f]+")
        func clean(_ s: String) -> String {
            pattern.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "0x?")
        }
        return Outcome(stdout: clean(stdout), stderr: clean(stderr), status: status)
    }
}

/// Run a bash snippet with `BIN` set to `binary`, in `directory`, with a
/// minimal environment plus `environment`, feeding `stdin` (or /dev/null).
///
/// Uses posix_spawn and poll directly: the output of both streams is read
/// as it comes, so no child can block on a full pipe, and nothing depends
/// on a run loop.
func runShell(_ snippet: String, binary: String, directory: String, environment: [String: String] = [:],
              stdin: String? = nil, timeout: TimeInterval = 30) throws -> Outcome {
    _ = ignoreBrokenPipes
    var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": directory, "LANG": "C", "BIN": binary]
    env.merge(environment) { _, new in new }
    let child = try ChildProcess(["/bin/bash", "-c", "cd \"$0\" || exit 125\n" + snippet, directory], environment: env)
    let (out, err, status) = child.communicate(input: Array((stdin ?? "").utf8), timeout: timeout)
    return Outcome(stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self), status: status)
}

/// A child that exits before reading its input must not kill the test process.
let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

let spawnLock = NSLock()

struct SpawnError: Error { let code: Int32 }

/// A child process with its three standard streams on pipes.
struct ChildProcess {
    let pid: pid_t
    let stdinFD: Int32, stdoutFD: Int32, stderrFD: Int32

    init(_ argv: [String], environment: [String: String]) throws {
        var fds: [[Int32]] = [[0, 0], [0, 0], [0, 0]]
        // Tests spawn children concurrently; a pipe end leaked into another child (a
        // long-lived tmux server, say) would keep this child's stdin open. So pipes are
        // close-on-exec, made and handed over under one lock.
        spawnLock.lock()
        defer { spawnLock.unlock() }
        for i in 0 ..< 3 {
            guard pipe(&fds[i]) == 0 else { throw SpawnError(code: errno) }
            for fd in fds[i] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[2][1], 2)
        for pair in fds { for fd in pair { posix_spawn_file_actions_addclose(&actions, fd) } }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        // The child starts with no blocked signals and default dispositions,
        // whatever the test runner's threads block or ignore (SIGINT, SIGPIPE).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // Its own process group, so that a timeout can kill everything it started.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        close(fds[0][0]); close(fds[1][1]); close(fds[2][1])
        guard rc == 0 else { throw SpawnError(code: rc) }
        self.pid = pid
        (stdinFD, stdoutFD, stderrFD) = (fds[0][1], fds[1][0], fds[2][0])
    }

    /// Write `input`, close stdin, collect both outputs until the child exits (killed after `timeout`).
    func communicate(input: [UInt8], timeout: TimeInterval) -> (out: [UInt8], err: [UInt8], status: Int32) {
        var pending = input[...]
        var inFD: Int32 = stdinFD
        if pending.isEmpty { close(inFD); inFD = -1 }
        var out: [UInt8] = [], err: [UInt8] = []
        var open: Set<Int32> = [stdoutFD, stderrFD]
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            if Date() > deadline {
                kill(-pid, SIGKILL)
                if Date() > deadline.addingTimeInterval(2) { break } // something outside the group holds a pipe
            }
            var polls = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if inFD >= 0 { polls.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            guard poll(&polls, nfds_t(polls.count), 100) >= 0 else { if errno == EINTR { continue } else { break } }
            for p in polls where p.revents != 0 {
                if p.fd == inFD {
                    let n = pending.withUnsafeBytes { write(inFD, $0.baseAddress, $0.count) }
                    if n > 0 { pending = pending.dropFirst(n) }
                    if n < 0 || pending.isEmpty { close(inFD); inFD = -1 }
                    continue
                }
                let n = read(p.fd, &buffer, buffer.count)
                if n <= 0 { close(p.fd); open.remove(p.fd); continue }
                if p.fd == stdoutFD { out += buffer[0 ..< n] } else { err += buffer[0 ..< n] }
            }
        }
        if inFD >= 0 { close(inFD) }
        for fd in open { close(fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (out, err, code)
    }
}

/// A scratch directory with the given files, made once per name.
func fixtureDirectory(_ name: String, files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-tests-\(getpid())-\(name)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (path, content) in files {
        let file = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try content.write(to: file, atomically: true, encoding: .utf8)
    }
    return dir.path
}
