//! A Unix stream read dropped in flight loses no byte and duplicates none:
//! bytes a cancelled read had already received are returned by the next
//! read, in order.

#[path = "support/dropped_reads.rs"]
mod dropped_reads;

use ringio_runtime::net::UnixStream;
use ringio_runtime::run;

#[test]
fn many_racing_cancellations_lose_and_duplicate_nothing() {
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    run(async move {
        let reader = UnixStream::from_std(ours).unwrap();
        dropped_reads::every_byte_arrives_once_in_order(reader, theirs).await;
    })
    .unwrap();
}
