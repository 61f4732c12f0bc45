//! A child that cannot start gives a `SpawnError` naming the program and
//! what to check; the shell variant starts and reports status 127.

mod common;

use std::io;
use std::os::unix::fs::PermissionsExt;

use ringio_runtime::process::Command;
use ringio_streams::subprocess::{
    create_subprocess_exec, create_subprocess_shell, Process, ProcessOptions,
};

#[test]
fn a_missing_program_is_not_found() {
    common::run(async {
        let err = create_subprocess_exec("ringio-no-such-program", ["x"], ProcessOptions::new())
            .unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert_eq!(err.program(), "ringio-no-such-program");
        let msg = err.to_string();
        assert!(msg.contains("`ringio-no-such-program`"), "{msg}");
        assert!(msg.contains("not found in PATH"), "{msg}");
        // `?` into io::Error keeps the kind and the message.
        let io_err = io::Error::from(err);
        assert_eq!(io_err.kind(), io::ErrorKind::NotFound);
        assert!(io_err.to_string().contains("not found in PATH"));

        let err = create_subprocess_exec("/no/such/dir/prog", None::<&str>, ProcessOptions::new())
            .unwrap_err();
        assert!(err.to_string().contains("no such file"), "{err}");
    });
}

#[test]
fn a_file_that_cannot_be_executed_says_why() {
    let dir = common::TempDir::new("spawn");
    let plain = dir.0.join("plain");
    std::fs::write(&plain, "echo hi\n").unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    let no_shebang = dir.0.join("no-shebang");
    std::fs::write(&no_shebang, [0u8, 1, 2, 3, 0xff, 0xfe, 0, 0]).unwrap();
    std::fs::set_permissions(&no_shebang, std::fs::Permissions::from_mode(0o755)).unwrap();
    common::run(async {
        let err = create_subprocess_exec(&plain, None::<&str>, ProcessOptions::new()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied, "{err}");
        assert!(err.to_string().contains("executable"), "{err}");

        let err =
            create_subprocess_exec(&no_shebang, None::<&str>, ProcessOptions::new()).unwrap_err();
        assert!(err.to_string().contains("`#!` line"), "{err}");
    });
}

#[test]
fn a_missing_working_directory_is_named() {
    common::run(async {
        let mut cmd = Command::new("sh");
        cmd.current_dir("/no/such/ringio/dir");
        let err = Process::spawn(&mut cmd, ProcessOptions::new()).unwrap_err();
        assert!(err.is_not_found());
        let msg = err.to_string();
        assert!(
            msg.contains("working directory `/no/such/ringio/dir` does not exist"),
            "{msg}"
        );
    });
}

#[test]
fn outside_a_loop_it_says_so() {
    let err = create_subprocess_exec("true", None::<&str>, ProcessOptions::new()).unwrap_err();
    assert!(
        err.to_string().starts_with("cannot start `true`: "),
        "{err}"
    );
}

#[test]
fn a_missing_command_in_the_shell_exits_127() {
    common::run(async {
        let mut proc =
            create_subprocess_shell("ringio-no-such-command", ProcessOptions::piped()).unwrap();
        let out = proc.communicate(b"").await.unwrap();
        assert_eq!(out.returncode(), 127);
        assert!(!out.stderr.is_empty(), "the shell says what is missing");
    });
}
