// `debug` turns debug mode on for the program's loop.
#[ringio::main(debug)]
async fn main() {
    assert!(ringio::task::dump().operations_known);
}
