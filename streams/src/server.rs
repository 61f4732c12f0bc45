//! The server side: [`start_server`], [`start_unix_server`] and the
//! [`Server`] / [`UnixServer`] they return.
//!
//! One accept task per server; each connection runs its handler in a task
//! of its own, so a handler that fails or panics ends only its connection
//! (reported once through the loop's unhandled-error report: `tracing`
//! when a subscriber is installed, else stderr). The server counts live connections so
//! that `wait_closed` can wait for them.

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::pin::{pin, Pin};
use std::rc::Rc;
#[cfg(feature = "tls")]
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use ringio_runtime::net::{
    default_backlog, TcpListener, TcpStream, ToSocketAddrs, UnixListener, UnixStream,
};
use ringio_runtime::task::{Builder, JoinHandle};
use ringio_runtime::unhandled::{report_unhandled, UnhandledKind};

use crate::connect::{from_tcp, from_unix, StreamOptions};
use crate::error::InvalidLimit;
use crate::reader::StreamReader;
use crate::writer::StreamWriter;

/// What a connection handler may return: `()`, or a `Result` whose error
/// is displayed (`std::io::Error`, `ReadError`, `Box<dyn Error>`, ...). An
/// error ends that connection only, and is reported once through
/// `ringio::unhandled` (`tracing` when a subscriber is installed,
/// else stderr; `Builder::on_unhandled_error` replaces it).
pub trait HandlerResult {
    /// The failure to report, if the handler failed.
    fn failure(self) -> Option<String>;
}

impl HandlerResult for () {
    fn failure(self) -> Option<String> {
        None
    }
}

impl<T, E: fmt::Display> HandlerResult for Result<T, E> {
    fn failure(self) -> Option<String> {
        self.err().map(|e| e.to_string())
    }
}

/// How to serve: the connections' reader limit, the listen backlog,
/// `SO_REUSEPORT`, and (feature `tls`) TLS.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    streams: StreamOptions,
    backlog: u32,
    reuse_port: bool,
    #[cfg(feature = "tls")]
    tls: Option<Arc<rustls::ServerConfig>>,
    #[cfg(feature = "tls")]
    handshake_timeout: std::time::Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            streams: StreamOptions::default(),
            backlog: default_backlog(),
            reuse_port: false,
            #[cfg(feature = "tls")]
            tls: None,
            #[cfg(feature = "tls")]
            handshake_timeout: crate::tls::DEFAULT_HANDSHAKE_TIMEOUT,
        }
    }
}

impl ServerOptions {
    /// The defaults: limit 64 KiB, the kernel's largest backlog
    /// (`somaxconn`, see [`default_backlog`]; asyncio's 100 makes clients
    /// of a burst wait a second for a SYN retransmission), no
    /// `SO_REUSEPORT`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The reader limit of each connection; 0 is rejected.
    pub fn limit(mut self, limit: usize) -> Result<Self, InvalidLimit> {
        self.streams = self.streams.limit(limit)?;
        Ok(self)
    }

    /// The length of the queue of connections not yet accepted (the kernel
    /// caps it at `somaxconn`).
    pub fn backlog(mut self, backlog: u32) -> Self {
        self.backlog = backlog;
        self
    }

    /// `SO_REUSEPORT` (TCP only): several servers, one per loop and thread,
    /// share the port and the kernel spreads connections among them.
    pub fn reuse_port(mut self, on: bool) -> Self {
        self.reuse_port = on;
        self
    }

    /// Serves TLS with `config` (asyncio's `ssl=`; feature `tls`). Each
    /// connection's handshake runs in the connection's task, before the
    /// handler is called with a reader and writer that work as over plain
    /// TCP (see [`tls`](crate::tls)). A failed handshake ends that
    /// connection. A TLS failure (a certificate refused, a plain-text
    /// client, no protocol in common: see
    /// [`TlsError`](crate::tls::TlsError)) is reported once, naming the
    /// peer, through the loop's unhandled-error report; a client that hung
    /// up, reset or stalled past the handshake timeout is only logged at
    /// debug level (`tracing`), as asyncio does.
    #[cfg(feature = "tls")]
    pub fn tls(mut self, config: Arc<rustls::ServerConfig>) -> Self {
        self.tls = Some(config);
        self
    }

    /// How long a TLS handshake may take (60 s by default, as asyncio's
    /// `ssl_handshake_timeout`); a client that stalls longer is dropped.
    #[cfg(feature = "tls")]
    pub fn handshake_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }
}

#[derive(Debug)]
enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener),
}

#[derive(Debug)]
enum Peer {
    Inet(SocketAddr),
    Unix(std::os::unix::net::SocketAddr),
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Inet(a) => write!(f, "{a}"),
            Peer::Unix(a) => match a.as_pathname() {
                Some(p) => write!(f, "{}", p.display()),
                None => f.write_str("(unnamed unix socket)"),
            },
        }
    }
}

impl Listener {
    async fn accept(&self) -> io::Result<(Accepted, Peer)> {
        match self {
            Listener::Tcp(l) => {
                let (stream, peer) = l.accept().await?;
                Ok((Accepted::Tcp(stream), Peer::Inet(peer)))
            }
            Listener::Unix(l) => {
                let (stream, peer) = l.accept().await?;
                Ok((Accepted::Unix(stream), Peer::Unix(peer)))
            }
        }
    }
}

/// A connection just accepted.
#[derive(Debug)]
enum Accepted {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Accepted {
    fn into_streams(self, options: StreamOptions) -> io::Result<(StreamReader, StreamWriter)> {
        match self {
            Accepted::Tcp(s) => from_tcp(s, options),
            Accepted::Unix(s) => from_unix(s, options),
        }
    }

    /// The socket's reading and writing sides, for TLS to run over.
    #[cfg(feature = "tls")]
    fn into_transport(self) -> io::Result<(crate::source::Source, crate::sink::Sink)> {
        use crate::{sink::Sink, source::Source};
        match self {
            Accepted::Tcp(s) => {
                s.set_nodelay(true)?;
                let (r, w) = s.into_split();
                Ok((Source::Tcp(r), Sink::Tcp(w)))
            }
            Accepted::Unix(s) => {
                let (r, w) = s.into_split();
                Ok((Source::Unix(r), Sink::Unix(w)))
            }
        }
    }
}

#[derive(Debug, Default)]
struct CoreState {
    closed: bool,
    accepting: bool,
    active: usize,
    waiters: Vec<Waker>,
    accept_task: Option<JoinHandle<()>>,
}

/// What a server, its accept task and its connections share.
#[derive(Debug, Default)]
struct Core {
    state: RefCell<CoreState>,
}

impl Core {
    fn wake(&self) {
        let waiters = std::mem::take(&mut self.state.borrow_mut().waiters);
        for w in waiters {
            w.wake();
        }
    }

    fn wait(&self, cx: &mut Context<'_>, done: impl Fn(&CoreState) -> bool) -> Poll<()> {
        let mut st = self.state.borrow_mut();
        if done(&st) {
            return Poll::Ready(());
        }
        if !st.waiters.iter().any(|w| w.will_wake(cx.waker())) {
            st.waiters.push(cx.waker().clone());
        }
        Poll::Pending
    }

    fn close(&self) -> bool {
        let task = {
            let mut st = self.state.borrow_mut();
            if st.closed {
                return false;
            }
            st.closed = true;
            st.accept_task.take()
        };
        if let Some(t) = task {
            t.abort();
        }
        self.wake();
        true
    }
}

/// Held by the accept task: the listener is gone once it drops.
struct AcceptGuard(Rc<Core>);

impl Drop for AcceptGuard {
    fn drop(&mut self) {
        self.0.state.borrow_mut().accepting = false;
        self.0.wake();
    }
}

/// Held by a connection's task: counts the connection as open.
struct ConnGuard(Rc<Core>);

impl ConnGuard {
    fn new(core: &Rc<Core>) -> ConnGuard {
        core.state.borrow_mut().active += 1;
        ConnGuard(core.clone())
    }
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        self.0.state.borrow_mut().active -= 1;
        self.0.wake();
    }
}

/// A future whose panic is caught and returned.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match std::panic::catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s
    } else {
        "(a non-string panic payload)"
    }
}

async fn run_handler<F>(fut: F, peer: Peer, _conn: ConnGuard)
where
    F: Future,
    F::Output: HandlerResult,
{
    // Nobody awaits a handler: its failure is reported once, naming this
    // connection's task, through the loop's unhandled-error hook (tracing
    // or stderr by default).
    match CatchUnwind(pin!(fut)).await {
        Ok(out) => {
            if let Some(msg) = out.failure() {
                report_unhandled(
                    UnhandledKind::Error,
                    format_args!("start_server handler for {peer} returned an error: {msg}"),
                );
            }
        }
        Err(panic) => {
            let msg = panic_message(&*panic);
            report_unhandled(
                UnhandledKind::Panic,
                format_args!("start_server handler for {peer} panicked: {msg}"),
            );
        }
    }
}

/// A TLS connection's task: the handshake, then the handler.
#[cfg(feature = "tls")]
async fn tls_connection<H, Fut>(
    accepted: Accepted,
    peer: Peer,
    options: ServerOptions,
    config: Arc<rustls::ServerConfig>,
    handler: Rc<H>,
    conn: ConnGuard,
) where
    H: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: HandlerResult,
{
    let limit = options.streams.get_limit();
    let streams = match accepted.into_transport() {
        Ok((source, sink)) => {
            crate::tls::accept(source, sink, config, options.handshake_timeout, limit).await
        }
        Err(e) => Err(e.into()),
    };
    match streams {
        Ok((reader, writer)) => run_handler(handler(reader, writer), peer, conn).await,
        // As asyncio: a connection that failed (reset, closed, timed out)
        // is only logged at debug level; a TLS failure is reported.
        Err(
            e @ (crate::tls::TlsError::Io(_)
            | crate::tls::TlsError::HandshakeEof
            | crate::tls::TlsError::HandshakeTimeout(_)),
        ) => tracing::debug!("start_server: TLS handshake with {peer} failed: {e}"),
        Err(e) => report_unhandled(
            UnhandledKind::Error,
            format_args!("start_server: TLS handshake with {peer} failed: {e}"),
        ),
    }
}

async fn accept_loop<H, Fut>(
    listener: Listener,
    handler: H,
    options: ServerOptions,
    core: Rc<Core>,
    _alive: AcceptGuard,
) where
    H: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: HandlerResult,
{
    let handler = Rc::new(handler);
    loop {
        match listener.accept().await {
            Ok((accepted, peer)) => {
                let conn = ConnGuard::new(&core);
                #[cfg(feature = "tls")]
                if let Some(config) = &options.tls {
                    let task = tls_connection(
                        accepted,
                        peer,
                        options.clone(),
                        config.clone(),
                        handler.clone(),
                        conn,
                    );
                    if let Err(e) = Builder::new().spawn(task) {
                        tracing::error!("stream server: cannot start a connection's task: {e}");
                    }
                    continue;
                }
                let (reader, writer) = match accepted.into_streams(options.streams) {
                    Ok(streams) => streams,
                    Err(e) => {
                        tracing::error!("stream server: accept failed: {e}");
                        continue;
                    }
                };
                let fut = handler(reader, writer);
                if let Err(e) = Builder::new().spawn(run_handler(fut, peer, conn)) {
                    tracing::error!("stream server: cannot start a connection's task: {e}");
                }
            }
            // The listener pauses its next accept after running out of
            // descriptors (1 ms doubling to 50 ms), so this loop does not
            // spin, and a waiting client gets in soon after one is freed.
            Err(e) => tracing::error!("stream server: accept failed: {e}"),
        }
    }
}

fn spawn_server<H, Fut>(
    listener: Listener,
    handler: H,
    options: ServerOptions,
) -> io::Result<Rc<Core>>
where
    H: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: HandlerResult,
{
    let core = Rc::new(Core::default());
    core.state.borrow_mut().accepting = true;
    let alive = AcceptGuard(core.clone());
    let task =
        Builder::new().spawn(accept_loop(listener, handler, options, core.clone(), alive))?;
    core.state.borrow_mut().accept_task = Some(task);
    Ok(core)
}

/// Starts a TCP server (asyncio's `start_server`): listens on `addr` and
/// runs `handler(reader, writer)` in a task of its own for each
/// connection. Serving starts at once; the returned [`Server`] closes it.
///
/// The handler is an async fn (or closure) taking `(StreamReader,
/// StreamWriter)` and returning `()` or a `Result` (see
/// [`HandlerResult`]); an error or a panic ends that connection only and
/// is reported once (see [`HandlerResult`]). `TCP_NODELAY` is set on every
/// connection.
///
/// ```
/// use ringio::streams::{open_connection, start_server, StreamReader, StreamWriter};
///
/// async fn echo(mut reader: StreamReader, writer: StreamWriter) -> Result<(), Box<dyn std::error::Error>> {
///     let mut lines = reader.lines();
///     while let Some(line) = lines.next_line().await? {
///         writer.write(line)?;
///         writer.drain().await?;
///     }
///     Ok(())
/// }
///
/// ringio::run(async {
///     let server = start_server(echo, "127.0.0.1:0").await?;
///     let (mut reader, writer) = open_connection(server.local_addr()?).await?;
///     writer.write("ping\n")?;
///     assert_eq!(reader.readline().await?, "ping\n");
///     drop(writer); // the server reads end of stream; its handler returns
///     server.close();
///     server.wait_closed().await; // the handler has finished
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub async fn start_server<H, Fut, A>(handler: H, addr: A) -> io::Result<Server>
where
    H: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: HandlerResult,
    A: ToSocketAddrs,
{
    start_server_with(handler, addr, ServerOptions::default()).await
}

/// [`start_server`] with options (limit, backlog, `SO_REUSEPORT`).
pub async fn start_server_with<H, Fut, A>(
    handler: H,
    addr: A,
    options: ServerOptions,
) -> io::Result<Server>
where
    H: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: HandlerResult,
    A: ToSocketAddrs,
{
    let listener = TcpListener::options()
        .backlog(options.backlog)
        .reuse_port(options.reuse_port)
        .bind(&addr)
        .await?;
    let local = listener.local_addr()?;
    let core = spawn_server(Listener::Tcp(listener), handler, options)?;
    Ok(Server { core, local })
}

/// Starts a Unix socket server at `path` (asyncio's `start_unix_server`).
/// A stale socket file left at `path` is removed first, as asyncio does;
/// the server removes its socket file when it closes. `reuse_port` does
/// not apply.
pub async fn start_unix_server<H, Fut, P>(handler: H, path: P) -> io::Result<UnixServer>
where
    H: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: HandlerResult,
    P: AsRef<Path>,
{
    start_unix_server_with(handler, path, ServerOptions::default()).await
}

/// [`start_unix_server`] with options (limit, backlog).
pub async fn start_unix_server_with<H, Fut, P>(
    handler: H,
    path: P,
    options: ServerOptions,
) -> io::Result<UnixServer>
where
    H: Fn(StreamReader, StreamWriter) -> Fut + 'static,
    Fut: Future + 'static,
    Fut::Output: HandlerResult,
    P: AsRef<Path>,
{
    let path = path.as_ref().to_path_buf();
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        if meta.file_type().is_socket() {
            std::fs::remove_file(&path)?;
        }
    }
    let listener = UnixListener::bind_with_backlog(&path, options.backlog)?;
    let local = listener.local_addr()?;
    let inode = std::fs::metadata(&path).ok().map(|m| (m.dev(), m.ino()));
    let core = spawn_server(Listener::Unix(listener), handler, options)?;
    Ok(UnixServer {
        core,
        local,
        path,
        inode,
    })
}

/// Waits until `core` is closed; closes it if dropped before.
async fn serve_forever(core: &Core) {
    struct CloseOnDrop<'a>(&'a Core);
    impl Drop for CloseOnDrop<'_> {
        fn drop(&mut self) {
            self.0.close();
        }
    }
    let guard = CloseOnDrop(core);
    poll_fn(|cx| core.wait(cx, |st| st.closed)).await;
    std::mem::forget(guard);
}

async fn wait_closed(core: &Core) {
    poll_fn(|cx| core.wait(cx, |st| st.closed && !st.accepting && st.active == 0)).await
}

/// A running TCP server, from [`start_server`] (asyncio's `Server`).
///
/// Dropping it closes it, as [`close`](Server::close) does.
#[derive(Debug)]
pub struct Server {
    core: Rc<Core>,
    local: SocketAddr,
}

impl Server {
    /// The address the server listens on (its port, when bound to port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }

    /// True until [`close`](Server::close).
    pub fn is_serving(&self) -> bool {
        !self.core.state.borrow().closed
    }

    /// How many connections are open (their handlers still running).
    pub fn active_connections(&self) -> usize {
        self.core.state.borrow().active
    }

    /// Serves until [`close`](Server::close) is called (asyncio's
    /// `serve_forever`). Dropping this future (a cancelled task) closes
    /// the server, as cancelling `serve_forever` does in asyncio.
    pub async fn serve_forever(&self) {
        serve_forever(&self.core).await
    }

    /// Stops listening (asyncio's `close`): no new connections are
    /// accepted; open connections carry on. Calling it again does nothing.
    pub fn close(&self) {
        self.core.close();
    }

    /// Waits until the server is closed and every connection's handler has
    /// returned (asyncio 3.12's `wait_closed`).
    pub async fn wait_closed(&self) {
        wait_closed(&self.core).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.core.close();
    }
}

/// A running Unix socket server, from [`start_unix_server`].
///
/// Dropping it closes it, as [`close`](UnixServer::close) does.
#[derive(Debug)]
pub struct UnixServer {
    core: Rc<Core>,
    local: std::os::unix::net::SocketAddr,
    path: PathBuf,
    /// The socket file's identity, to remove only our own at close.
    inode: Option<(u64, u64)>,
}

impl UnixServer {
    /// The address the server listens on.
    pub fn local_addr(&self) -> io::Result<std::os::unix::net::SocketAddr> {
        Ok(self.local.clone())
    }

    /// The path of the socket file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True until [`close`](UnixServer::close).
    pub fn is_serving(&self) -> bool {
        !self.core.state.borrow().closed
    }

    /// How many connections are open (their handlers still running).
    pub fn active_connections(&self) -> usize {
        self.core.state.borrow().active
    }

    /// Serves until [`close`](UnixServer::close) is called; dropping this
    /// future closes the server.
    pub async fn serve_forever(&self) {
        serve_forever(&self.core).await
    }

    /// Stops listening and removes the socket file (if it is still the
    /// one this server made); open connections carry on.
    pub fn close(&self) {
        if self.core.close() {
            let ours = std::fs::metadata(&self.path)
                .ok()
                .map(|m| (m.dev(), m.ino()));
            if ours.is_some() && ours == self.inode {
                if let Err(e) = std::fs::remove_file(&self.path) {
                    tracing::debug!("unix server: removing {}: {e}", self.path.display());
                }
            }
        }
    }

    /// Waits until the server is closed and every connection's handler has
    /// returned.
    pub async fn wait_closed(&self) {
        wait_closed(&self.core).await
    }
}

impl Drop for UnixServer {
    fn drop(&mut self) {
        self.close();
    }
}
