//! Spawned tasks run in spawn order and their handles give their results.

use std::cell::RefCell;
use std::rc::Rc;

use ringio_runtime::task::{self, TaskState};
use ringio_runtime::{run, spawn, yield_now};

#[test]
fn tasks_start_in_spawn_order_and_join_in_any_order() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let out = run({
        let log = log.clone();
        async move {
            let handles: Vec<_> = (0..5)
                .map(|i| {
                    let log = log.clone();
                    spawn(async move {
                        log.borrow_mut().push(i);
                        i * 10
                    })
                })
                .collect();
            let mut results = Vec::new();
            for h in handles.into_iter().rev() {
                results.push(h.await.unwrap());
            }
            results
        }
    })
    .unwrap();
    assert_eq!(*log.borrow(), vec![0, 1, 2, 3, 4]);
    assert_eq!(out, vec![40, 30, 20, 10, 0]);
}

#[test]
fn yield_now_interleaves_two_tasks() {
    let log = Rc::new(RefCell::new(String::new()));
    run({
        let log = log.clone();
        async move {
            let a = {
                let log = log.clone();
                spawn(async move {
                    for _ in 0..3 {
                        log.borrow_mut().push('a');
                        yield_now().await;
                    }
                })
            };
            let b = {
                let log = log.clone();
                spawn(async move {
                    for _ in 0..3 {
                        log.borrow_mut().push('b');
                        yield_now().await;
                    }
                })
            };
            a.await.unwrap();
            b.await.unwrap();
        }
    })
    .unwrap();
    assert_eq!(*log.borrow(), "ababab");
}

#[test]
fn names_ids_and_task_introspection() {
    run(async {
        // block_on's future is a task too, as asyncio's run(main()).
        let main = task::current_task().expect("block_on's future is the main task");
        assert_eq!(main.name, "main");
        assert_eq!(main.state, TaskState::Running);
        let h = task::Builder::new()
            .name("worker")
            .spawn(async {
                let me = task::current_task().expect("inside a task");
                assert_eq!(me.state, TaskState::Running);
                me
            })
            .unwrap();
        let anon = spawn(async { task::current_task().unwrap().name });
        let all = task::all_tasks();
        assert_eq!(all.len(), 3);
        assert!(all
            .iter()
            .any(|t| t.id == main.id && t.state == TaskState::Running));
        assert!(all
            .iter()
            .any(|t| t.name == "worker" && t.state == TaskState::Scheduled));
        let id = h.id();
        let me = h.await.unwrap();
        assert_eq!(me.name, "worker");
        assert_eq!(me.id, id);
        let anon_id = anon.id();
        assert_eq!(anon.await.unwrap(), format!("Task-{anon_id}"));
        let left = task::all_tasks();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].name, "main");
    })
    .unwrap();
}

#[test]
fn is_finished_tracks_completion() {
    run(async {
        let h = spawn(async { 1 });
        assert!(!h.is_finished());
        yield_now().await;
        yield_now().await;
        assert!(h.is_finished());
        assert_eq!(h.await.unwrap(), 1);
    })
    .unwrap();
}

#[test]
fn spawn_outside_a_loop_is_an_error_with_the_builder() {
    let err = task::Builder::new().spawn(async {}).unwrap_err();
    assert!(err.to_string().contains("no ringio event loop"), "{err}");
}
