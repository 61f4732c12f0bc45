//! A `JoinError` names its task: id, name and the place it was spawned.

use ringio_runtime::task::Builder;
use ringio_runtime::{run, spawn, time::sleep};
use std::time::Duration;

#[test]
fn a_panic_error_shows_the_tasks_id_name_and_spawn_location() {
    run(async {
        let line = line!() + 3;
        let handle = Builder::new()
            .name("parser")
            .spawn(async { panic!("bad byte") })
            .unwrap();
        let id = handle.id();
        let err = handle.await.unwrap_err();
        assert_eq!(err.id(), Some(id));
        assert_eq!(err.name(), Some("parser"));
        let loc = err.location().unwrap();
        assert_eq!(loc.file(), file!());
        assert_eq!(loc.line(), line);
        let text = err.to_string();
        assert_eq!(
            text,
            format!("task 'parser' (id {id}, spawned at {loc}) panicked: bad byte")
        );
        assert!(format!("{err:?}").contains("parser"), "{err:?}");
    })
    .unwrap();
}

#[test]
fn a_cancelled_error_of_an_unnamed_task_shows_its_default_name_and_location() {
    run(async {
        let line = line!() + 1;
        let handle = spawn(sleep(Duration::from_secs(10)));
        let id = handle.id();
        handle.abort();
        let err = handle.await.unwrap_err();
        assert!(err.is_cancelled());
        assert_eq!(err.name(), Some(format!("Task-{id}").as_str()));
        assert_eq!(err.location().unwrap().line(), line);
        assert!(
            err.to_string()
                .ends_with("was cancelled before it finished"),
            "{err}"
        );
        assert!(err.to_string().contains(&format!("Task-{id}")), "{err}");
    })
    .unwrap();
}
