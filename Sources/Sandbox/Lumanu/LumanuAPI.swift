import Hummingbird

/// Lumanu, creator payouts, under `/lumanu` (being written: see docs/sandbox.md).
struct LumanuAPI {
    let sandbox: Sandbox

    func register(on router: Router<SandboxContext>) {}
}
