//! StreamReader against a reference model of asyncio's `StreamReader`
//! (CPython `Lib/asyncio/streams.py`: `read`, `readexactly`, `readuntil`,
//! `readline`, `at_eof`), on random data cut into random chunks and random
//! sequences of reads, some of them dropped after one poll (cancelled).
//!
//! Both sides see the same arrivals: a chunk arrives exactly when a read
//! waits for data (asyncio's `_wait_for_data`), end of stream when the
//! chunks are spent. After every operation the results, the buffered byte
//! count and `at_eof` must agree. Prints
//! `FIGURE stream_reader_model_mismatches: ...`; cases from
//! `PROPTEST_CASES` (default 2,000).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use ringio::streams::{Feeder, ReadError, StreamReader};

/// One operation of a case.
#[derive(Debug, Clone)]
enum Op {
    Read(usize),
    ReadExactly(usize),
    ReadUntil(Vec<u8>),
    ReadLine,
    AtEof,
    /// The operation, polled once and dropped if it waits.
    Cancelled(Box<Op>),
}

/// What an operation returned, the same way for the model and ringio.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Res {
    Bytes(Vec<u8>),
    Incomplete(Vec<u8>, Option<usize>),
    Overrun(usize),
    TooLong(usize),
    Bool(bool),
    /// A cancelled operation that waited (and was dropped).
    Waited,
}

/// asyncio's `StreamReader`, as CPython writes it.
struct Model {
    buf: Vec<u8>,
    eof: bool,
    limit: usize,
    chunks: VecDeque<Vec<u8>>,
}

/// The model would wait for data, and may not.
struct WouldWait;

impl Model {
    /// `_wait_for_data`: the next chunk arrives, or end of stream.
    fn wait(&mut self, may_wait: bool) -> Result<(), WouldWait> {
        if !may_wait {
            return Err(WouldWait);
        }
        match self.chunks.pop_front() {
            Some(c) => self.buf.extend_from_slice(&c),
            None => self.eof = true,
        }
        Ok(())
    }

    fn read(&mut self, n: usize, w: bool) -> Result<Res, WouldWait> {
        if n == 0 {
            return Ok(Res::Bytes(Vec::new()));
        }
        if self.buf.is_empty() && !self.eof {
            self.wait(w)?;
        }
        let take = n.min(self.buf.len());
        Ok(Res::Bytes(self.buf.drain(..take).collect()))
    }

    fn readexactly(&mut self, n: usize, w: bool) -> Result<Res, WouldWait> {
        if n == 0 {
            return Ok(Res::Bytes(Vec::new()));
        }
        while self.buf.len() < n {
            if self.eof {
                return Ok(Res::Incomplete(std::mem::take(&mut self.buf), Some(n)));
            }
            self.wait(w)?;
        }
        Ok(Res::Bytes(self.buf.drain(..n).collect()))
    }

    fn readuntil(&mut self, sep: &[u8], w: bool) -> Result<Res, WouldWait> {
        let seplen = sep.len();
        let mut offset = 0;
        let isep = loop {
            let buflen = self.buf.len();
            if buflen - offset >= seplen {
                if let Some(i) = find(&self.buf, sep, offset) {
                    break i;
                }
                offset = buflen + 1 - seplen;
                if offset > self.limit {
                    return Ok(Res::Overrun(offset));
                }
            }
            if self.eof {
                return Ok(Res::Incomplete(std::mem::take(&mut self.buf), None));
            }
            self.wait(w)?;
        };
        if isep > self.limit {
            return Ok(Res::Overrun(isep));
        }
        Ok(Res::Bytes(self.buf.drain(..isep + seplen).collect()))
    }

    fn readline(&mut self, w: bool) -> Result<Res, WouldWait> {
        match self.readuntil(b"\n", w)? {
            Res::Incomplete(partial, _) => Ok(Res::Bytes(partial)),
            Res::Overrun(consumed) => {
                let discarded = if self.buf.get(consumed) == Some(&b'\n') {
                    consumed + 1
                } else {
                    self.buf.len()
                };
                self.buf.drain(..discarded);
                Ok(Res::TooLong(discarded))
            }
            other => Ok(other),
        }
    }

    fn apply(&mut self, op: &Op, w: bool) -> Result<Res, WouldWait> {
        match op {
            Op::Read(n) => self.read(*n, w),
            Op::ReadExactly(n) => self.readexactly(*n, w),
            Op::ReadUntil(sep) => self.readuntil(sep, w),
            Op::ReadLine => self.readline(w),
            Op::AtEof => Ok(Res::Bool(self.eof && self.buf.is_empty())),
            Op::Cancelled(inner) => Ok(self.apply(inner, false).unwrap_or(Res::Waited)),
        }
    }
}

/// First index at or after `from` where `sep` starts (bytes.find).
fn find(hay: &[u8], sep: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(sep.len())
        .position(|w| w == sep)
        .map(|i| i + from)
}

fn convert(r: Result<ringio::streams::Bytes, ReadError>) -> Result<Res, TestCaseError> {
    match r {
        Ok(b) => Ok(Res::Bytes(b.to_vec())),
        Err(ReadError::IncompleteRead { partial, expected }) => {
            Ok(Res::Incomplete(partial.to_vec(), expected))
        }
        Err(ReadError::LimitOverrun { consumed, .. }) => Ok(Res::Overrun(consumed)),
        Err(ReadError::LineTooLong { discarded, .. }) => Ok(Res::TooLong(discarded)),
        Err(e) => Err(TestCaseError::fail(format!("unexpected error: {e}"))),
    }
}

/// The ringio side: a reader, its feeder, and the chunks still to come.
struct Real {
    reader: StreamReader,
    feeder: Feeder,
    chunks: VecDeque<Vec<u8>>,
    eof_fed: bool,
}

impl Real {
    /// Polls `fut`; while it waits, the next chunk (or end of stream)
    /// arrives. With `once`, a waiting future is dropped instead.
    fn drive<F: Future>(
        feeder: &Feeder,
        chunks: &mut VecDeque<Vec<u8>>,
        eof_fed: &mut bool,
        once: bool,
        fut: F,
    ) -> Result<Option<F::Output>, TestCaseError> {
        let mut fut = pin!(fut);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return Ok(Some(out));
            }
            if once {
                return Ok(None);
            }
            match chunks.pop_front() {
                Some(c) => feeder
                    .feed_data(c)
                    .map_err(|e| TestCaseError::fail(format!("feed_data: {e}")))?,
                None if *eof_fed => {
                    return Err(TestCaseError::fail("a read waits after end of stream"))
                }
                None => {
                    feeder.feed_eof();
                    *eof_fed = true;
                }
            }
        }
    }

    fn apply(&mut self, op: &Op, once: bool) -> Result<Res, TestCaseError> {
        let (r, f, c, e) = (
            &mut self.reader,
            &self.feeder,
            &mut self.chunks,
            &mut self.eof_fed,
        );
        let out = match op {
            Op::Read(n) => Real::drive(f, c, e, once, r.read(*n))?,
            Op::ReadExactly(n) => Real::drive(f, c, e, once, r.readexactly(*n))?,
            Op::ReadUntil(sep) => Real::drive(f, c, e, once, r.readuntil(sep))?,
            Op::ReadLine => Real::drive(f, c, e, once, r.readline())?,
            Op::AtEof => return Ok(Res::Bool(r.at_eof())),
            Op::Cancelled(inner) => return self.apply(inner, true),
        };
        match out {
            Some(res) => convert(res),
            None => Ok(Res::Waited),
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    let byte = prop::sample::select(vec![b'a', b'b', b'\n', b'\r', b'x']);
    let plain = prop_oneof![
        (0usize..48).prop_map(Op::Read),
        (0usize..48).prop_map(Op::ReadExactly),
        prop::collection::vec(byte, 1..4).prop_map(Op::ReadUntil),
        Just(Op::ReadLine),
        Just(Op::AtEof),
    ];
    prop_oneof![
        4 => plain.clone(),
        1 => plain.prop_map(|o| Op::Cancelled(Box::new(o))),
    ]
}

type Case = (Vec<u8>, Vec<usize>, usize, Vec<Op>);

fn case() -> impl Strategy<Value = Case> {
    let byte = prop::sample::select(vec![b'a', b'b', b'\n', b'\r', b'x']);
    (
        prop::collection::vec(byte, 0..400),
        prop::collection::vec(1usize..40, 1..64),
        1usize..64,
        prop::collection::vec(op(), 1..48),
    )
}

/// Cuts `data` into chunks of the given sizes (cycled).
fn chunked(data: &[u8], sizes: &[usize]) -> VecDeque<Vec<u8>> {
    let mut out = VecDeque::new();
    let mut at = 0;
    for &n in sizes.iter().cycle() {
        if at >= data.len() {
            break;
        }
        let end = (at + n).min(data.len());
        out.push_back(data[at..end].to_vec());
        at = end;
    }
    out
}

fn check((data, sizes, limit, ops): Case) -> Result<(), TestCaseError> {
    let chunks = chunked(&data, &sizes);
    let (feeder, reader) = StreamReader::with_feeder(limit)
        .map_err(|e| TestCaseError::fail(format!("with_feeder: {e}")))?;
    let mut real = Real {
        reader,
        feeder,
        chunks: chunks.clone(),
        eof_fed: false,
    };
    let mut model = Model {
        buf: Vec::new(),
        eof: false,
        limit,
        chunks,
    };
    for (i, op) in ops.iter().enumerate() {
        let want = model.apply(op, true).unwrap_or(Res::Waited);
        let got = real.apply(op, false)?;
        prop_assert_eq!(&got, &want, "op {} ({:?})", i, op);
        prop_assert_eq!(
            real.reader.buffered(),
            model.buf.len(),
            "buffered after op {} ({:?})",
            i,
            op
        );
        prop_assert_eq!(
            real.reader.at_eof(),
            model.eof && model.buf.is_empty(),
            "at_eof after op {} ({:?})",
            i,
            op
        );
    }
    Ok(())
}

#[test]
fn stream_reader_matches_asyncio_model() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&case(), check);
    let ok = result.is_ok();
    println!(
        "FIGURE stream_reader_model_mismatches: {} cases of {cases} disagreed with asyncio's model (limit 0) {}",
        usize::from(!ok),
        if ok { "PASS" } else { "FAIL" }
    );
    if let Err(e) = result {
        panic!("StreamReader differs from asyncio's model: {e}");
    }
}
