#[ringio::main]
fn main() {}
