#[ringio::main(threads = 2)]
async fn main() -> Result<std::process::ExitCode, String> {
    Ok(std::process::ExitCode::SUCCESS)
}
