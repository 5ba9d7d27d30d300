//! How the sandbox examples report a step: a `✓` line when it held, else the error that ends
//! the run (so the example exits non-zero). Shared by `checkout` and `ready_made`
//! (`#[path]`-included).

/// What ends an example's run.
pub type Failure = Box<dyn std::error::Error>;

/// Prints `✓ what` if `held`, else fails with `✗ what`.
pub fn check(held: bool, what: &str) -> Result<(), Failure> {
    if held {
        println!("  ✓ {what}");
        Ok(())
    } else {
        Err(format!("✗ {what}").into())
    }
}
