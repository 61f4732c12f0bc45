#[ringio::test(timeout_ms = -5)]
async fn slow() {}

fn main() {}
