//! The client side: [`open_connection`], [`open_unix_connection`], and the
//! options they take.

use std::io;
use std::path::Path;

use ringio_runtime::net::{TcpStream, ToSocketAddrs, UnixStream};

use crate::error::InvalidLimit;
use crate::reader::{StreamReader, DEFAULT_LIMIT};
use crate::writer::StreamWriter;

/// Options of a connection's streams: the reader's limit.
#[derive(Debug, Clone, Copy)]
pub struct StreamOptions {
    limit: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            limit: DEFAULT_LIMIT,
        }
    }
}

impl StreamOptions {
    /// The defaults: a limit of 64 KiB.
    pub fn new() -> Self {
        Self::default()
    }

    /// The reader's limit (see [`StreamReader`]); 0 is rejected.
    pub fn limit(mut self, limit: usize) -> Result<Self, InvalidLimit> {
        if limit == 0 {
            return Err(InvalidLimit::ZeroReadLimit);
        }
        self.limit = limit;
        Ok(self)
    }

    /// The limit these options give.
    pub fn get_limit(&self) -> usize {
        self.limit
    }
}

/// Connects over TCP and returns the connection's reader and writer
/// (asyncio's `open_connection`). `addr` is anything
/// [`ToSocketAddrs`](ringio_runtime::net::ToSocketAddrs) takes:
/// `"127.0.0.1:8080"`, `("example.com", 80)`, a `SocketAddr`. Names are
/// resolved off the loop; each address is tried in turn. `TCP_NODELAY` is
/// set, as asyncio does.
///
/// ```
/// use ringio::streams::{open_connection, start_server, StreamReader, StreamWriter};
///
/// async fn shout(mut reader: StreamReader, writer: StreamWriter) -> Result<(), Box<dyn std::error::Error>> {
///     let line = reader.readline().await?;
///     writer.write(line.to_ascii_uppercase())?;
///     writer.drain().await?;
///     Ok(())
/// }
///
/// ringio::run(async {
///     let server = start_server(shout, "127.0.0.1:0").await?;
///     let (mut reader, writer) = open_connection(server.local_addr()?).await?;
///     writer.write("hello\n")?;
///     assert_eq!(reader.readline().await?, "HELLO\n");
///     server.close();
///     server.wait_closed().await;
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub async fn open_connection<A: ToSocketAddrs>(
    addr: A,
) -> io::Result<(StreamReader, StreamWriter)> {
    open_connection_with(addr, StreamOptions::default()).await
}

/// [`open_connection`] with options (the reader's limit).
pub async fn open_connection_with<A: ToSocketAddrs>(
    addr: A,
    options: StreamOptions,
) -> io::Result<(StreamReader, StreamWriter)> {
    let stream = TcpStream::connect(&addr).await?;
    from_tcp(stream, options)
}

/// Wraps a connected [`TcpStream`] in a reader and a writer (asyncio's
/// `open_connection(sock=...)`), setting `TCP_NODELAY`.
pub fn from_tcp(
    stream: TcpStream,
    options: StreamOptions,
) -> io::Result<(StreamReader, StreamWriter)> {
    stream.set_nodelay(true)?;
    let (r, w) = stream.into_split();
    let writer = StreamWriter::from_tcp(w)?;
    let mut reader = StreamReader::from_tcp(r, options.limit)?;
    reader.link_writer(writer.shared());
    Ok((reader, writer))
}

/// Connects to the Unix socket at `path` and returns the reader and writer
/// (asyncio's `open_unix_connection`).
pub async fn open_unix_connection<P: AsRef<Path>>(
    path: P,
) -> io::Result<(StreamReader, StreamWriter)> {
    open_unix_connection_with(path, StreamOptions::default()).await
}

/// [`open_unix_connection`] with options (the reader's limit).
pub async fn open_unix_connection_with<P: AsRef<Path>>(
    path: P,
    options: StreamOptions,
) -> io::Result<(StreamReader, StreamWriter)> {
    let stream = UnixStream::connect(path).await?;
    from_unix(stream, options)
}

/// Wraps a connected [`UnixStream`] in a reader and a writer.
pub fn from_unix(
    stream: UnixStream,
    options: StreamOptions,
) -> io::Result<(StreamReader, StreamWriter)> {
    let (r, w) = stream.into_split();
    let writer = StreamWriter::from_unix(w)?;
    let mut reader = StreamReader::from_unix(r, options.limit)?;
    reader.link_writer(writer.shared());
    Ok((reader, writer))
}
