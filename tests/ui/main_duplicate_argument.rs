#[ringio::main(entries = 64, entries = 128)]
async fn main() {}
