import Foundation
import Glibc
import PaymentsCore
import PayshConfig
import Sandbox

/// The sandbox behind the built-in `sandbox` profile. Its address is
/// 127.0.0.1:7297, where `paysh sandbox` listens; when nothing listens there,
/// paysh serves the sandbox inside its own process, on a free loopback port,
/// with the state `paysh sandbox` keeps, so that the default profile works
/// with nothing else running. The interpreter does this on first use of a
/// client; `paysh journal --reconcile` does it to look calls up.
public enum BuiltInSandbox {
    /// Whether `profile` needs a sandbox served in this process: it is the
    /// built-in sandbox, still at the built-in address (not one the
    /// environment or a config file named), and no `paysh sandbox` is listening.
    public static func isNeeded(for profile: ResolvedProfile) -> Bool {
        profile.isSandbox && usesBuiltInAddress(profile) && !isListening(port: 7297)
    }

    /// Load the profile `flags` choose and, when it needs one (or `force`,
    /// for `--sandbox`: the built-in profile whatever `flags` say), serve the
    /// sandbox for it and load it again pointed there. The caller stops the
    /// sandbox returned when it is done.
    public static func load(_ flags: ProfileFlags, environment: [String: String],
                            force: Bool = false) async throws(PaymentsError) -> (LoadedConfig, RunningSandbox?) {
        let resolved = try resolve(flags, environment: environment, force: force)
        guard resolved.serve else { return (resolved.config, nil) }
        let (config, running) = try await serve(resolved.flags, environment: environment)
        return (config, running)
    }

    /// The first half of ``load(_:environment:force:)``, which starts
    /// nothing: the profile, the flags that chose it, and whether a sandbox
    /// must be served for it (by ``serve(_:environment:)``, with those flags).
    public static func resolve(_ flags: ProfileFlags, environment: [String: String],
                               force: Bool = false) throws(PaymentsError) -> (config: LoadedConfig, flags: ProfileFlags, serve: Bool) {
        var flags = flags
        if force { flags.profile = BuiltInProfiles.sandboxName }
        let config = try ConfigLoader.load(flags: flags, environment: environment)
        return (config, flags, force || isNeeded(for: config.profile))
    }

    /// The second half: serve the sandbox and load the profile `flags`
    /// choose again, pointed at it.
    public static func serve(_ flags: ProfileFlags, environment: [String: String]) async throws(PaymentsError) -> (LoadedConfig, RunningSandbox) {
        var flags = flags
        let running = try await start(environment: environment)
        flags.settings.merge(settings(root: root(of: running))) { _, served in served }
        do throws(PaymentsError) {
            return (try ConfigLoader.load(flags: flags, environment: environment), running)
        } catch {
            await running.stop()
            throw error
        }
    }

    /// Start it: on a free loopback port, with the state in
    /// `$PAYSH_SANDBOX_STATE` (`:memory:` for none), else in the data directory.
    public static func start(environment: [String: String]) async throws(PaymentsError) -> RunningSandbox {
        var configuration = SandboxConfiguration()
        configuration.port = 0
        let state = environment["PAYSH_SANDBOX_STATE"].flatMap { $0.isEmpty ? nil : $0 } ?? SandboxConfiguration.defaultStatePath(environment: environment)
        configuration.state = state == ":memory:" ? .memory : .file(state)
        do {
            return try await Sandbox(configuration: configuration).start()
        } catch {
            throw PaymentsError(kind: .notSent, service: "sandbox", operation: "sandbox",
                                message: "the built-in sandbox could not start (state \(state)): \(error)")
        }
    }

    /// The root of `running`'s URLs (its control API is under `/_sandbox`).
    public static func root(of running: RunningSandbox) -> String { "http://127.0.0.1:\(running.endpoints.port)" }

    /// The settings that point the built-in profile at the sandbox at `root`,
    /// to load the profile again with (``ProfileFlags/settings``).
    public static func settings(root: String) -> [SettingKey: String] {
        var settings: [SettingKey: String] = [:]
        for key in [SettingKey.lumanuTokenURL, .lumanuBaseURL, .lumenBaseURL, .lumyriBaseURL] {
            guard let value = BuiltInProfiles.sandbox[key] else { continue }
            settings[key] = root + value.dropFirst(BuiltInProfiles.sandboxRoot.count)
        }
        return settings
    }

    /// Whether the profile still points at the built-in sandbox address (not at one the environment named).
    static func usesBuiltInAddress(_ profile: ResolvedProfile) -> Bool {
        [profile.lumyri.baseURL, profile.lumen.baseURL, profile.lumanu.baseURL, profile.lumanu.tokenURL]
            .allSatisfy { $0?.hasPrefix(BuiltInProfiles.sandboxRoot + "/") ?? true }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` (a `paysh sandbox`).
    static func isListening(port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
