//! With a `tracing` subscriber, each task gets a `runtime.spawn` span
//! (tokio-console's convention: target `tokio::task`, fields `task.id`,
//! `task.name`, `loc.*`) entered around each of its polls, operations emit
//! DEBUG events, and an unretrieved panic goes to the subscriber instead of
//! stderr.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use ringio_runtime::task::Builder;
use ringio_runtime::time::sleep;
use ringio_runtime::{run, yield_now};

#[derive(Default)]
struct Seen {
    /// span id -> (name, target, fields)
    spans: HashMap<u64, (String, String, HashMap<String, String>)>,
    enters: HashMap<u64, u32>,
    /// (target, message, fields)
    events: Vec<(String, String, HashMap<String, String>)>,
}

#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Seen>>,
    next: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = HashMap::new();
        attrs.record(&mut Fields(&mut fields));
        let meta = attrs.metadata();
        self.seen
            .lock()
            .unwrap()
            .spans
            .insert(id, (meta.name().into(), meta.target().into(), fields));
        Id::from_u64(id)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = HashMap::new();
        event.record(&mut Fields(&mut fields));
        let message = fields.remove("message").unwrap_or_default();
        self.seen
            .lock()
            .unwrap()
            .events
            .push((event.metadata().target().into(), message, fields));
    }
    fn enter(&self, id: &Id) {
        *self
            .seen
            .lock()
            .unwrap()
            .enters
            .entry(id.into_u64())
            .or_default() += 1;
    }
    fn exit(&self, _: &Id) {}
}

#[test]
fn each_task_has_a_runtime_spawn_span_entered_per_poll() {
    let recorder = Recorder::default();
    let line = tracing::subscriber::with_default(recorder.clone(), || {
        run(async {
            let line = line!() + 3;
            let h = Builder::new()
                .name("traced")
                .spawn(async {
                    yield_now().await;
                    sleep(Duration::from_millis(5)).await;
                    7
                })
                .unwrap();
            assert_eq!(h.await.unwrap(), 7);
            line
        })
        .unwrap()
    });
    let seen = recorder.seen.lock().unwrap();
    let (id, (_, target, fields)) = seen
        .spans
        .iter()
        .find(|(_, (name, _, f))| name == "runtime.spawn" && f["task.name"] == "traced")
        .expect("a runtime.spawn span for the task");
    assert_eq!(target, "tokio::task");
    assert_eq!(fields["kind"], "task");
    assert!(fields["task.id"].parse::<u64>().is_ok(), "{fields:?}");
    assert_eq!(fields["loc.file"], file!());
    assert_eq!(fields["loc.line"], line.to_string());
    // Three polls: the first, after the yield, after the sleep.
    assert_eq!(seen.enters.get(id), Some(&3), "{:?}", seen.enters);
}

#[test]
fn operations_emit_debug_events() {
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        run(async {
            let (r, w) = ringio_runtime::pipe::pipe().unwrap();
            w.write_all(b"hi".to_vec()).await.0.unwrap();
            assert_eq!(r.read(vec![0u8; 4]).await.0.unwrap(), 2);
        })
        .unwrap();
    });
    let seen = recorder.seen.lock().unwrap();
    let ops: Vec<_> = seen
        .events
        .iter()
        .filter(|(t, _, _)| t == "ringio::op")
        .collect();
    // read and write: each submitted and completed.
    let submitted = ops
        .iter()
        .filter(|(_, m, _)| m == "operation submitted")
        .count();
    let completed = ops
        .iter()
        .filter(|(_, m, _)| m == "operation completed")
        .count();
    assert!(submitted >= 2, "{ops:?}");
    assert_eq!(submitted, completed, "{ops:?}");
    assert!(
        ops.iter()
            .any(|(_, m, f)| m == "operation completed" && f["result"] == "2"),
        "{ops:?}"
    );
}

#[test]
fn with_a_subscriber_an_unretrieved_panic_goes_to_it() {
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        run(async {
            drop(
                Builder::new()
                    .name("lost")
                    .spawn(async { panic!("to tracing") }),
            );
            sleep(Duration::from_millis(5)).await;
        })
        .unwrap();
    });
    let seen = recorder.seen.lock().unwrap();
    let reports: Vec<_> = seen
        .events
        .iter()
        .filter(|(t, m, _)| t == "ringio" && m.contains("'lost'"))
        .collect();
    assert_eq!(reports.len(), 1, "{:?}", seen.events);
    assert!(reports[0].1.ends_with("to tracing"), "{}", reports[0].1);
}
