#[ringio::main(entries)]
async fn main() {}
