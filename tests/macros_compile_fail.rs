//! #[ringio::main] and #[ringio::test]: misuse is a compile error pointing
//! at the offending token, and correct uses compile and run.

#[test]
fn misuse_is_a_compile_error() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

#[test]
fn correct_uses_compile_and_run() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
}
