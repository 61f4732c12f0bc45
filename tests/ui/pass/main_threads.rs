// Two loops, one per thread, each running a copy of main; a Result is
// combined (the first error wins).
#[ringio::main(threads = 2, entries = 64)]
async fn main() -> Result<(), std::io::Error> {
    let rc = std::rc::Rc::new(1); // tasks on a loop need not be Send
    let task = ringio::spawn(async move { *rc + 1 });
    assert_eq!(task.await.map_err(std::io::Error::from)?, 2);
    Ok(())
}
