//! [`StreamReader`]: asyncio's buffered reader over a connection.

use std::fmt;
use std::io;
use std::rc::Rc;

use bytes::{Bytes, BytesMut};
use ringio_runtime::net::{tcp, unix};
use ringio_runtime::pipe::PipeReader;

use crate::error::{InvalidLimit, ReadError};
use crate::source::{Feeder, PipeSource, Source};
use crate::writer::Shared as WriterShared;

/// The default limit of a reader: 64 KiB, as asyncio's `_DEFAULT_LIMIT`.
pub const DEFAULT_LIMIT: usize = 64 * 1024;

/// The reading side of a connection, as asyncio's `StreamReader`.
///
/// Bytes are received into one buffer (a `bytes::BytesMut`) that the reader
/// owns; the read methods take what they return from its front, as
/// `Bytes` (no copy). The *limit* bounds what
/// [`readuntil`](StreamReader::readuntil) and
/// [`readline`](StreamReader::readline) search before giving up.
///
/// **Receiving is driven by reads.** The reader receives only when a read
/// needs more bytes than it holds, so a reader that is not being read
/// stops receiving and TCP flow control slows the peer down: the buffer
/// never grows past what one read needs (at most the limit plus one
/// receive for `readuntil`, `n` for `readexactly(n)`). This is asyncio's
/// pause at twice the limit, done more strictly. While a read waits on an
/// idle connection the reader holds no buffer memory (the kernel picks a
/// receive buffer from the loop's pool when data arrives).
///
/// **Cancel-safe.** Every read consumes bytes only when it returns them. A
/// read dropped while it waits (a [`timeout`](ringio_runtime::time::timeout))
/// loses nothing: what arrived stays in the reader for the next call.
///
/// One reader serves one task at a time (the read methods take
/// `&mut self`), which is asyncio's rule too.
pub struct StreamReader {
    buf: BytesMut,
    limit: usize,
    eof: bool,
    /// A receive failed: every later receive fails the same way.
    failed: Option<(io::ErrorKind, String)>,
    source: Source,
    /// The writer of the same connection, told when a receive finds the
    /// connection lost.
    link: Option<Rc<WriterShared>>,
}

impl fmt::Debug for StreamReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamReader")
            .field("buffered", &self.buf.len())
            .field("limit", &self.limit)
            .field("eof", &self.eof)
            .field("failed", &self.failed)
            .field("source", &self.source)
            .finish()
    }
}

fn check_limit(limit: usize) -> Result<usize, InvalidLimit> {
    if limit == 0 {
        Err(InvalidLimit::ZeroReadLimit)
    } else {
        Ok(limit)
    }
}

impl StreamReader {
    pub(crate) fn with_source(source: Source, limit: usize) -> Result<StreamReader, InvalidLimit> {
        Ok(StreamReader {
            buf: BytesMut::new(),
            limit: check_limit(limit)?,
            eof: false,
            failed: None,
            source,
            link: None,
        })
    }

    /// A reader over the read half of a TCP stream. A `limit` of 0 is
    /// rejected.
    pub fn from_tcp(half: tcp::OwnedReadHalf, limit: usize) -> Result<StreamReader, InvalidLimit> {
        Self::with_source(Source::Tcp(half), limit)
    }

    /// A reader over the read half of a Unix stream. A `limit` of 0 is
    /// rejected.
    pub fn from_unix(
        half: unix::OwnedReadHalf,
        limit: usize,
    ) -> Result<StreamReader, InvalidLimit> {
        Self::with_source(Source::Unix(half), limit)
    }

    /// A reader over the read end of a pipe (a child process's stdout or
    /// stderr, see [`subprocess`](crate::subprocess)). A `limit` of 0 is
    /// rejected.
    pub fn from_pipe(pipe: PipeReader, limit: usize) -> Result<StreamReader, InvalidLimit> {
        Self::with_source(Source::Pipe(PipeSource::new(pipe)), limit)
    }

    /// A reader fed by hand through the returned [`Feeder`] (asyncio's
    /// `StreamReader()` with `feed_data` / `feed_eof`). A `limit` of 0 is
    /// rejected.
    ///
    /// ```
    /// use ringio::streams::StreamReader;
    ///
    /// ringio::run(async {
    ///     let (feeder, mut reader) = StreamReader::with_feeder(1024)?;
    ///     feeder.feed_data("hel")?;
    ///     feeder.feed_data("lo\nworld")?;
    ///     feeder.feed_eof();
    ///     assert_eq!(reader.readline().await?, "hello\n");
    ///     assert_eq!(reader.readline().await?, "world");
    ///     assert!(reader.at_eof());
    ///     Ok::<(), Box<dyn std::error::Error>>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn with_feeder(limit: usize) -> Result<(Feeder, StreamReader), InvalidLimit> {
        let limit = check_limit(limit)?;
        let (feeder, source) = Feeder::new();
        Ok((feeder, Self::with_source(source, limit)?))
    }

    /// Puts bytes that arrived before the reader existed (decrypted with
    /// the TLS handshake) in front of its buffer.
    #[cfg(feature = "tls")]
    pub(crate) fn prefill(&mut self, early: BytesMut) {
        if !early.is_empty() {
            self.buf = early;
        }
    }

    pub(crate) fn link_writer(&mut self, writer: Rc<WriterShared>) {
        self.link = Some(writer);
    }

    /// The limit given at construction.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// How many received bytes wait in the reader, not yet read.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// True when end of stream was reached and every byte has been read
    /// (asyncio's `at_eof()`). On a socket, end of stream is known once a
    /// read has received it: after the last line, `at_eof` turns true with
    /// the read that returns empty.
    pub fn at_eof(&self) -> bool {
        self.eof && self.buf.is_empty()
    }

    /// The first `n` buffered bytes (at most all of them), handed out.
    /// When that is everything buffered, the buffer itself is handed over
    /// (no shared-ownership record is allocated for a split, and the
    /// reader is left holding no memory, as after any emptying read).
    fn take_front(&mut self, n: usize) -> Bytes {
        if n >= self.buf.len() {
            std::mem::take(&mut self.buf).freeze()
        } else {
            self.buf.split_to(n).freeze()
        }
    }

    /// Receives once more, appending to the buffer; sets `eof` at end of
    /// stream. Cancel-safe: a dropped receive loses no bytes.
    async fn fill(&mut self) -> Result<(), ReadError> {
        if let Some((kind, msg)) = &self.failed {
            return Err(ReadError::Io(io::Error::new(*kind, msg.clone())));
        }
        if self.buf.is_empty() {
            // Release the spent buffer (it may pin a large allocation shared
            // with `Bytes` handed out): an idle reader holds no memory.
            self.buf = BytesMut::new();
        }
        loop {
            match self.source.read_buf(&mut self.buf).await {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(_) => {
                    self.eof = self.source.known_eof();
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.failed = Some((e.kind(), e.to_string()));
                    if let Some(w) = &self.link {
                        w.connection_lost(&e.to_string());
                    }
                    return Err(ReadError::Io(e));
                }
            }
        }
    }

    /// Reads up to `n` bytes: returns as soon as at least one byte is
    /// there (asyncio's `read(n)`). Returns empty bytes at end of stream,
    /// and at once when `n` is 0. The limit does not apply. For asyncio's
    /// `read()` / `read(-1)` (everything until end of stream) use
    /// [`read_to_end`](StreamReader::read_to_end).
    pub async fn read(&mut self, n: usize) -> Result<Bytes, ReadError> {
        if n == 0 {
            return Ok(Bytes::new());
        }
        if self.buf.is_empty() && !self.eof {
            self.fill().await?;
        }
        let take = n.min(self.buf.len());
        Ok(self.take_front(take))
    }

    /// Reads everything until end of stream (asyncio's `read()`). The limit
    /// does not apply, so this holds the whole remaining stream in memory.
    /// Dropped before the end, it loses nothing: the bytes stay buffered.
    pub async fn read_to_end(&mut self) -> Result<Bytes, ReadError> {
        while !self.eof {
            self.fill().await?;
        }
        Ok(self.take_front(self.buf.len()))
    }

    /// Reads exactly `n` bytes (asyncio's `readexactly`); the limit does
    /// not apply. If end of stream comes first, fails with
    /// [`ReadError::IncompleteRead`] holding the bytes that came (they are
    /// taken out of the reader) and `expected: Some(n)`.
    pub async fn readexactly(&mut self, n: usize) -> Result<Bytes, ReadError> {
        if n == 0 {
            return Ok(Bytes::new());
        }
        while self.buf.len() < n {
            if self.eof {
                return Err(ReadError::IncompleteRead {
                    partial: self.take_front(self.buf.len()),
                    expected: Some(n),
                });
            }
            self.fill().await?;
        }
        Ok(self.take_front(n))
    }

    /// Reads up to and including `separator` (asyncio's `readuntil`); the
    /// separator may arrive split across receives.
    ///
    /// - Separator within the limit (the data before it is at most `limit`
    ///   bytes): returns the data and the separator, removed from the
    ///   reader.
    /// - Not found within the limit: [`ReadError::LimitOverrun`], and the
    ///   data **stays in the reader** (read it with `read`/`readexactly`).
    /// - End of stream first: [`ReadError::IncompleteRead`] with what came
    ///   (taken out of the reader) and `expected: None`.
    ///
    /// # Panics
    ///
    /// Never; an empty `separator` fails with
    /// [`ReadError::EmptySeparator`].
    pub async fn readuntil(&mut self, separator: &[u8]) -> Result<Bytes, ReadError> {
        let seplen = separator.len();
        if seplen == 0 {
            return Err(ReadError::EmptySeparator);
        }
        // `offset`: how many bytes at the front are known not to start the
        // separator, so a longer buffer is searched from there on.
        let mut offset = 0;
        let isep = loop {
            let buflen = self.buf.len();
            if buflen - offset >= seplen {
                if let Some(i) = find(&self.buf, separator, offset) {
                    break i;
                }
                offset = buflen + 1 - seplen;
                if offset > self.limit {
                    return Err(ReadError::LimitOverrun {
                        consumed: offset,
                        limit: self.limit,
                    });
                }
            }
            // The last receive may have completed the separator even at end
            // of stream, which is why the buffer is searched first.
            if self.eof {
                return Err(ReadError::IncompleteRead {
                    partial: self.take_front(self.buf.len()),
                    expected: None,
                });
            }
            self.fill().await?;
        };
        if isep > self.limit {
            return Err(ReadError::LimitOverrun {
                consumed: isep,
                limit: self.limit,
            });
        }
        Ok(self.take_front(isep + seplen))
    }

    /// Reads one line, up to and including `b'\n'` (asyncio's `readline`).
    ///
    /// At end of stream returns the last, unterminated line, and then
    /// empty bytes. A line longer than the limit fails with
    /// [`ReadError::LineTooLong`] after discarding it exactly as asyncio
    /// does: through its newline if the newline is already buffered,
    /// otherwise the whole buffer (the rest of that line comes with the
    /// next read).
    pub async fn readline(&mut self) -> Result<Bytes, ReadError> {
        match self.readuntil(b"\n").await {
            Ok(line) => Ok(line),
            Err(ReadError::IncompleteRead { partial, .. }) => Ok(partial),
            Err(ReadError::LimitOverrun { consumed, limit }) => {
                let discarded = if self.buf.get(consumed) == Some(&b'\n') {
                    consumed + 1
                } else {
                    self.buf.len()
                };
                let _ = self.buf.split_to(discarded);
                Err(ReadError::LineTooLong { limit, discarded })
            }
            Err(e) => Err(e),
        }
    }

    /// Iterates over lines (asyncio's `async for line in reader`):
    /// [`Lines::next_line`] gives each line as
    /// [`readline`](StreamReader::readline) does, and `None` at end of
    /// stream.
    pub fn lines(&mut self) -> Lines<'_> {
        Lines { reader: self }
    }
}

/// The lines of a [`StreamReader`], from [`StreamReader::lines`].
///
/// ```
/// use ringio::streams::StreamReader;
///
/// ringio::run(async {
///     let (feeder, mut reader) = StreamReader::with_feeder(1024)?;
///     feeder.feed_data("one\ntwo\nthree")?;
///     drop(feeder); // end of stream
///     let mut lines = reader.lines();
///     let mut seen = Vec::new();
///     while let Some(line) = lines.next_line().await? {
///         seen.push(line);
///     }
///     assert_eq!(seen, ["one\n", "two\n", "three"]);
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[derive(Debug)]
pub struct Lines<'a> {
    reader: &'a mut StreamReader,
}

impl Lines<'_> {
    /// The next line (with its `\n`, except a last unterminated one), or
    /// `None` at end of stream. Cancel-safe, as every read.
    pub async fn next_line(&mut self) -> Result<Option<Bytes>, ReadError> {
        let line = self.reader.readline().await?;
        Ok((!line.is_empty()).then_some(line))
    }
}

/// The first index at or after `from` where `sep` starts in `hay`.
fn find(hay: &[u8], sep: &[u8], from: usize) -> Option<usize> {
    let hay = hay.get(from..)?;
    let at = match sep {
        [] => return None,
        [b] => memchr::memchr(*b, hay)?,
        _ => memchr::memmem::find(hay, sep)?,
    };
    Some(at + from)
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn find_single_byte() {
        assert_eq!(find(b"abc\ndef\n", b"\n", 0), Some(3));
        assert_eq!(find(b"abc\ndef\n", b"\n", 4), Some(7));
        assert_eq!(find(b"abc", b"\n", 0), None);
        assert_eq!(find(b"abc", b"\n", 9), None);
    }

    #[test]
    fn find_multi_byte() {
        assert_eq!(find(b"xx\r\nyy\r\n", b"\r\n", 0), Some(2));
        assert_eq!(find(b"xx\r\nyy\r\n", b"\r\n", 3), Some(6));
        assert_eq!(find(b"\r\r\r\n", b"\r\n", 0), Some(2));
        assert_eq!(find(b"abc\r", b"\r\n", 0), None);
        assert_eq!(find(b"SEPARATO", b"SEPARATOR", 0), None);
        assert_eq!(find(b"--SEPARATOR", b"SEPARATOR", 1), Some(2));
    }
}
