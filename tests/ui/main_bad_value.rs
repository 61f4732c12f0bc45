#[ringio::main(entries = "many")]
async fn main() {}
