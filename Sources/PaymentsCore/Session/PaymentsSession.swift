import Foundation

/// How a session talks to the APIs: tracing, dry run, the journal, the token cache, timeouts and retries.
public struct SessionOptions: Sendable {
    /// Receives one redacted line per HTTP exchange (`--debug`, `PAYSH_DEBUG=1`).
    public var trace: (@Sendable (String) -> Void)?
    /// When set, mutations are printed as `curl` commands here instead of being sent (`--dry-run`).
    public var dryRun: ServiceConnection.DryRunPrinter?
    /// Where mutations are recorded before they are sent; nil records nothing.
    public var journal: (any MutationJournal)?
    /// Where Lumanu tokens outlive the process; nil keeps them in memory only.
    public var tokenCache: TokenCache?
    public var transport = Transport.Configuration()
    public var retryPolicy = RetryPolicy()
    /// Each service's ``RetryBudget``: retries in hand, and how much of one a success earns back.
    public var retryBudgetCapacity: Double = 10
    public var retryBudgetEarnedPerSuccess: Double = 0.2

    public init() {}

    /// The command line's options: tracing on `debug` or `PAYSH_DEBUG=1` (to stderr),
    /// dry run on `dryRun` (to stdout), the journal and token cache in their
    /// usual places for `environment`, the timeouts `PAYSH_TIMEOUT` asks for
    /// (``RequestTimeout``; a bad value is a configuration error).
    public static func commandLine(environment: [String: String], debug: Bool, dryRun: Bool) throws(PaymentsError) -> SessionOptions {
        var options = SessionOptions()
        if debug || ["1", "true", "yes"].contains(environment["PAYSH_DEBUG"]?.lowercased() ?? "") {
            options.trace = { line in FileHandle.standardError.write(Data(("paysh: " + line + "\n").utf8)) }
        }
        if dryRun {
            options.dryRun = { command in FileHandle.standardOutput.write(Data((command + "\n").utf8)) }
        }
        options.journal = Journal(environment: environment)
        options.tokenCache = TokenCache(environment: environment)
        options.transport.environment = environment
        try RequestTimeout.apply(environment, to: &options.transport)
        return options
    }
}

/// The clients of one resolved profile, sharing one transport (one connection
/// pool, one trace) and one retry budget per service. A service the profile
/// does not configure answers with an error naming what is missing and where
/// to set it, rather than failing at the first request.
public final class PaymentsSession: Sendable {
    public let profile: ResolvedProfile
    public let transport: Transport
    private let lumanuClient: Result<LumanuClient, PaymentsError>
    private let lumenClient: Result<LumenClient, PaymentsError>
    private let lumyriClient: Result<LumyriClient, PaymentsError>

    public init(profile: ResolvedProfile, options: SessionOptions = SessionOptions()) {
        self.profile = profile
        var configuration = options.transport
        if let trace = options.trace { configuration.trace = trace }
        let transport = Transport(configuration: configuration)
        self.transport = transport

        func connection(_ service: Service, _ baseURL: String, _ authorizer: any Authorizer) -> ServiceConnection {
            var sender = RetryingSender(transport: transport, policy: options.retryPolicy,
                                        budget: RetryBudget(capacity: options.retryBudgetCapacity,
                                                            earnedPerSuccess: options.retryBudgetEarnedPerSuccess))
            sender.limit = AdaptiveLimit(ceiling: configuration.connectionsPerHost)
            return ServiceConnection(service: service, baseURL: baseURL, authorizer: authorizer, sender: sender,
                                     profile: profile.name, journal: options.journal, dryRun: options.dryRun)
        }
        func unconfigured(_ service: Service) -> PaymentsError? {
            let missing = profile.missing(for: service)
            guard !missing.isEmpty else { return nil }
            let names = missing.map { "\($0.rawValue) (\($0.environmentVariable))" }.joined(separator: ", ")
            return PaymentsError(kind: .validation, service: service.rawValue, operation: service.rawValue,
                                 message: "\(service.rawValue) is not configured in profile \"\(profile.name)\": missing \(names); "
                                     + "set them in the config file or the environment (see `paysh config`)")
        }

        let lumanu = profile.lumanu
        if let problem = unconfigured(.lumanu) {
            lumanuClient = .failure(problem)
        } else {
            let oauth = OAuthClientCredentials(tokenURL: lumanu.tokenURL!, audience: lumanu.audience!, clientID: lumanu.clientID!,
                                               clientSecret: lumanu.clientSecret!, transport: transport, profile: profile.name,
                                               cache: options.tokenCache, retryPolicy: options.retryPolicy)
            lumanuClient = .success(LumanuClient(connection: connection(.lumanu, lumanu.baseURL!, oauth), workspaceID: lumanu.workspaceID))
        }
        if let problem = unconfigured(.lumen) {
            lumenClient = .failure(problem)
        } else {
            let key = StaticBearer(secret: profile.lumen.apiKey!, environmentName: SettingKey.lumenAPIKey.environmentVariable)
            lumenClient = .success(LumenClient(connection: connection(.lumen, profile.lumen.baseURL!, key)))
        }
        if let problem = unconfigured(.lumyri) {
            lumyriClient = .failure(problem)
        } else {
            let token = StaticBearer(secret: profile.lumyri.accessToken!, environmentName: SettingKey.lumyriAccessToken.environmentVariable)
            lumyriClient = .success(LumyriClient(connection: connection(.lumyri, profile.lumyri.baseURL!, token)))
        }
    }

    /// Creator payouts; an error naming the missing settings if the profile lacks them.
    public func lumanu() throws(PaymentsError) -> LumanuClient { try lumanuClient.get() }
    /// Merchant payments.
    public func lumen() throws(PaymentsError) -> LumenClient { try lumenClient.get() }
    /// Cards, billing information and invoices.
    public func lumyri() throws(PaymentsError) -> LumyriClient { try lumyriClient.get() }

    /// Close the connection pools. Call once, when done.
    public func shutdown() async { await transport.shutdown() }
}
