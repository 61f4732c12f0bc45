#[ringio::main(debug = "yes")]
async fn main() {}
