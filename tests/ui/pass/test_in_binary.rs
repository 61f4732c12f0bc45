//! `#[ringio::test]` functions compile into a test harness; here they are
//! called by hand to prove the expansion is an ordinary function.

#[ringio::test(entries = 32, timeout_ms = 5000)]
async fn adds() {
    assert_eq!(ringio::spawn(async { 1 + 1 }).await.unwrap(), 2);
}

#[ringio::test]
async fn returns_result() -> Result<(), std::num::ParseIntError> {
    let n: u8 = "5".parse()?;
    assert_eq!(n, 5);
    Ok(())
}

fn main() {}
