#[ringio::main(entries = 0)]
async fn main() {}
