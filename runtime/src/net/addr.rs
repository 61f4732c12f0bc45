//! Turning what the caller names ("localhost:8080", an `IpAddr` and a port,
//! a `SocketAddr`) into socket addresses. Names that are not literal
//! addresses are resolved on the blocking pool (`getaddrinfo` blocks).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::blocking::try_spawn_blocking;

/// Something that names one or more socket addresses, as
/// `std::net::ToSocketAddrs` but resolved without blocking the loop.
///
/// Implemented for `SocketAddr` (and its v4/v6 forms), `(IpAddr, u16)`,
/// `(&str, u16)`, `(String, u16)`, `&str` and `String` ("host:port"), and
/// slices of `SocketAddr`.
pub trait ToSocketAddrs: sealed::Sealed {}

mod sealed {
    use std::net::SocketAddr;

    /// What resolving needs: nothing, or a lookup on the blocking pool.
    #[derive(Debug)]
    pub enum Plan {
        /// The addresses, already known.
        Ready(Vec<SocketAddr>),
        /// A "host:port" to resolve.
        Lookup(String),
    }

    /// Keeps [`super::ToSocketAddrs`] implemented only here.
    pub trait Sealed {
        /// How to get the addresses.
        fn plan(&self) -> Plan;
    }
}

use sealed::{Plan, Sealed};

macro_rules! ready_impl {
    ($($t:ty => |$s:ident| $e:expr;)*) => {$(
        impl ToSocketAddrs for $t {}
        impl Sealed for $t {
            fn plan(&self) -> Plan {
                let $s = self;
                Plan::Ready($e)
            }
        }
    )*};
}

ready_impl! {
    SocketAddr => |a| vec![*a];
    SocketAddrV4 => |a| vec![SocketAddr::V4(*a)];
    SocketAddrV6 => |a| vec![SocketAddr::V6(*a)];
    (IpAddr, u16) => |a| vec![SocketAddr::new(a.0, a.1)];
    (Ipv4Addr, u16) => |a| vec![SocketAddr::new(IpAddr::V4(a.0), a.1)];
    (Ipv6Addr, u16) => |a| vec![SocketAddr::new(IpAddr::V6(a.0), a.1)];
    [SocketAddr] => |a| a.to_vec();
    Vec<SocketAddr> => |a| a.clone();
}

impl ToSocketAddrs for str {}
impl Sealed for str {
    fn plan(&self) -> Plan {
        match self.parse::<SocketAddr>() {
            Ok(a) => Plan::Ready(vec![a]),
            Err(_) => Plan::Lookup(self.to_owned()),
        }
    }
}

impl ToSocketAddrs for String {}
impl Sealed for String {
    fn plan(&self) -> Plan {
        self.as_str().plan()
    }
}

impl ToSocketAddrs for (&str, u16) {}
impl Sealed for (&str, u16) {
    fn plan(&self) -> Plan {
        match self.0.parse::<IpAddr>() {
            Ok(ip) => Plan::Ready(vec![SocketAddr::new(ip, self.1)]),
            Err(_) => Plan::Lookup(format!("{}:{}", self.0, self.1)),
        }
    }
}

impl ToSocketAddrs for (String, u16) {}
impl Sealed for (String, u16) {
    fn plan(&self) -> Plan {
        (self.0.as_str(), self.1).plan()
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}
impl<T: Sealed + ?Sized> Sealed for &T {
    fn plan(&self) -> Plan {
        (**self).plan()
    }
}

/// Resolves `addr`; names go through the blocking pool. Errors when it
/// names no address at all.
pub(crate) async fn resolve<A: ToSocketAddrs + ?Sized>(addr: &A) -> io::Result<Vec<SocketAddr>> {
    let addrs = match addr.plan() {
        Plan::Ready(v) => v,
        Plan::Lookup(name) => {
            let job = try_spawn_blocking(move || {
                std::net::ToSocketAddrs::to_socket_addrs(&name).map(Iterator::collect::<Vec<_>>)
            })?;
            job.await
                .map_err(|e| io::Error::other(format!("name lookup failed: {e}")))??
        }
    };
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the address resolved to no socket address",
        ));
    }
    Ok(addrs)
}

/// Tries `f` on each address in turn; the first success, or the last error.
pub(crate) async fn each_addr<A, T, F, Fut>(addr: &A, mut f: F) -> io::Result<T>
where
    A: ToSocketAddrs + ?Sized,
    F: FnMut(SocketAddr) -> Fut,
    Fut: std::future::Future<Output = io::Result<T>>,
{
    let mut last = None;
    for a in resolve(addr).await? {
        match f(a).await {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no address to try")))
}
