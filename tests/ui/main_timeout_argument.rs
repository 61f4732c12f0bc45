#[ringio::main(timeout_ms = 100)]
async fn main() {}
