//! A `readline` (or `readexactly`) on a child's stdout dropped mid-line (a
//! timeout) loses no byte: the next read returns the whole line.

mod common;

use std::time::Duration;

use ringio_runtime::time::timeout;
use ringio_streams::subprocess::{create_subprocess_exec, ProcessOptions, Redirect};

#[test]
fn a_dropped_readline_loses_nothing() {
    common::run(async {
        // One line in 200 dribbles, slower than the reader's timeouts.
        let script = "i=0; while [ $i -lt 200 ]; do printf \"$i,\"; \
                      [ $((i % 20)) -eq 0 ] && sleep 0.01; i=$((i+1)); done; echo end";
        let opts = ProcessOptions::new().stdout(Redirect::Piped);
        let mut proc = create_subprocess_exec("sh", ["-c", script], opts).unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        let mut timeouts = 0;
        let line = loop {
            match timeout(Duration::from_micros(300), stdout.readline()).await {
                Ok(line) => break line.unwrap(),
                Err(_) => timeouts += 1,
            }
        };
        let want: String = (0..200).map(|i| format!("{i},")).collect::<String>() + "end\n";
        assert_eq!(line, want.as_bytes());
        assert!(timeouts > 0, "no read was dropped: the test proved nothing");
        assert!(proc.wait().await.unwrap().success());
    });
}

#[test]
fn a_dropped_readexactly_loses_nothing() {
    common::run(async {
        // Ten 1000-byte blocks of one digit each, 20 ms apart.
        let script = "for d in 0 1 2 3 4 5 6 7 8 9; do head -c 1000 /dev/zero | tr '\\0' $d; \
                      sleep 0.02; done";
        let opts = ProcessOptions::new().stdout(Redirect::Piped);
        let mut proc = create_subprocess_exec("sh", ["-c", script], opts).unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        let mut dropped = 0;
        let data = loop {
            match timeout(Duration::from_millis(3), stdout.readexactly(10_000)).await {
                Ok(d) => break d.unwrap(),
                Err(_) => dropped += 1,
            }
        };
        assert!(dropped > 0, "no read was dropped: the test proved nothing");
        for (i, block) in data.chunks(1000).enumerate() {
            let digit = b'0' + i as u8;
            assert!(block.iter().all(|&b| b == digit), "block {i} is wrong");
        }
        assert!(proc.wait().await.unwrap().success());
    });
}
