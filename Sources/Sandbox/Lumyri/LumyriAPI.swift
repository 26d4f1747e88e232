import Hummingbird

/// Lumyri, cards, billing information and invoices, under `/lumyri` (being written: see docs/sandbox.md).
struct LumyriAPI {
    let sandbox: Sandbox

    func register(on router: Router<SandboxContext>) {}
}
