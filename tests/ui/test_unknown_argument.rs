#[ringio::test(timeout = 100)]
async fn slow() {}

fn main() {}
