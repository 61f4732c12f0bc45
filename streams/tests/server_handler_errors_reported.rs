//! A start_server handler's error or panic (which nobody can await) is
//! reported exactly once through the loop's unhandled-error hook, naming
//! the connection; a handler that succeeds reports nothing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::unhandled::{UnhandledError, UnhandledKind};
use ringio_runtime::Runtime;
use ringio_streams::{open_connection, start_server, StreamReader, StreamWriter};

async fn handler(mut reader: StreamReader, _writer: StreamWriter) -> std::io::Result<()> {
    match &reader.readline().await?[..] {
        b"panic\n" => panic!("asked to panic"),
        b"fail\n" => Err(std::io::Error::other("asked to fail")),
        _ => Ok(()),
    }
}

#[test]
fn handler_error_and_panic_are_reported_once_each() {
    let seen: Arc<Mutex<Vec<UnhandledError>>> = Arc::default();
    let sink = seen.clone();
    let rt = Runtime::builder()
        .on_unhandled_error(move |e| sink.lock().unwrap().push(e.clone()))
        .build()
        .unwrap();
    rt.block_on(timeout(Duration::from_secs(10), async {
        let server = start_server(handler, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().unwrap();
        for line in ["ok\n", "fail\n", "panic\n"] {
            let (mut r, w) = open_connection(addr).await.unwrap();
            w.write(line).unwrap();
            let _ = r.read_to_end().await;
        }
        // Let the handlers' tasks finish and report.
        for _ in 0..100 {
            if seen.lock().unwrap().len() >= 2 {
                break;
            }
            sleep(Duration::from_millis(10)).await;
        }
        sleep(Duration::from_millis(20)).await;
        server.close();
    }))
    .unwrap()
    .unwrap();
    drop(rt);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let error = seen
        .iter()
        .find(|e| e.kind() == UnhandledKind::Error)
        .unwrap();
    assert!(
        error.message().contains("returned an error: asked to fail"),
        "{error}"
    );
    assert!(error.message().contains("127.0.0.1:"), "{error}");
    assert!(error.task().is_some());
    let panic = seen
        .iter()
        .find(|e| e.kind() == UnhandledKind::Panic)
        .unwrap();
    assert!(
        panic.message().ends_with("panicked: asked to panic"),
        "{panic}"
    );
}
