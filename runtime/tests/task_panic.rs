//! A panic inside a task is caught and reported through its JoinHandle.

use std::time::Duration;

use ringio_runtime::{run, spawn};

#[test]
fn panic_is_reported_through_the_handle_and_the_loop_goes_on() {
    let out = run(async {
        let bad = spawn(async {
            if true {
                panic!("boom in a task");
            }
            1
        });
        let good = spawn(async {
            ringio_runtime::time::sleep(Duration::from_millis(5)).await;
            2
        });
        let err = bad.await.unwrap_err();
        assert!(err.is_panic());
        assert_eq!(err.panic_message(), Some("boom in a task"));
        assert!(err.to_string().contains("boom in a task"));
        let payload = err.try_into_panic().unwrap();
        assert_eq!(*payload.downcast::<&str>().unwrap(), "boom in a task");
        good.await.unwrap()
    })
    .unwrap();
    assert_eq!(out, 2);
}

#[test]
fn panic_in_a_detached_task_does_not_stop_the_loop() {
    let out = run(async {
        drop(spawn(async { panic!("nobody listens") }));
        ringio_runtime::time::sleep(Duration::from_millis(5)).await;
        "still running"
    })
    .unwrap();
    assert_eq!(out, "still running");
}
