//! `main` returning a `Result`, with `?` inside, and a ring size.
use std::time::Duration;

#[ringio::main(entries = 64)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let value = ringio::spawn(async { "7".parse::<u8>() }).await??;
    ringio::time::timeout(Duration::from_secs(5), async {}).await?;
    assert_eq!(value, 7);
    Ok(())
}
