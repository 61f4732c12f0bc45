#[ringio::test]
fn plain() {}

fn main() {}
