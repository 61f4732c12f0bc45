//! Socket addresses in the kernel's layout (`sockaddr_storage`), converted
//! from and to `std::net::SocketAddr` and Unix socket paths.

use std::ffi::OsStr;
use std::io;
use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::SocketAddr as UnixAddr;
use std::path::Path;
use std::sync::OnceLock;

/// A `sockaddr_storage` and the length of the address in it.
#[derive(Clone)]
pub(crate) struct SockAddr {
    storage: libc::sockaddr_storage,
    len: libc::socklen_t,
}

impl SockAddr {
    /// Room for any address, length 0 (to be filled by the kernel).
    pub(crate) fn empty() -> SockAddr {
        SockAddr {
            // SAFETY: sockaddr_storage is plain data; all-zero is valid.
            storage: unsafe { mem::zeroed() },
            len: 0,
        }
    }

    /// The size of the storage, for the kernel to fill.
    pub(crate) fn capacity() -> libc::socklen_t {
        mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t
    }

    pub(crate) fn as_ptr(&self) -> *const libc::sockaddr {
        (&self.storage as *const libc::sockaddr_storage).cast()
    }

    pub(crate) fn as_mut_ptr(&mut self) -> *mut libc::sockaddr {
        (&mut self.storage as *mut libc::sockaddr_storage).cast()
    }

    pub(crate) fn len(&self) -> libc::socklen_t {
        self.len
    }

    pub(crate) fn set_len(&mut self, len: libc::socklen_t) {
        self.len = len.min(Self::capacity());
    }

    /// The address family (`AF_INET`, `AF_INET6`, `AF_UNIX`).
    pub(crate) fn family(&self) -> libc::c_int {
        self.storage.ss_family as libc::c_int
    }

    /// An IPv4 or IPv6 address.
    pub(crate) fn from_inet(addr: &SocketAddr) -> SockAddr {
        let mut out = SockAddr::empty();
        match addr {
            SocketAddr::V4(a) => {
                let sin = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: a.port().to_be(),
                    sin_addr: libc::in_addr {
                        s_addr: u32::from_ne_bytes(a.ip().octets()),
                    },
                    sin_zero: [0; 8],
                };
                // SAFETY: sockaddr_storage is larger than and aligned for
                // every sockaddr type.
                unsafe { out.as_mut_ptr().cast::<libc::sockaddr_in>().write(sin) };
                out.len = mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            }
            SocketAddr::V6(a) => {
                let sin6 = libc::sockaddr_in6 {
                    sin6_family: libc::AF_INET6 as libc::sa_family_t,
                    sin6_port: a.port().to_be(),
                    sin6_flowinfo: a.flowinfo(),
                    sin6_addr: libc::in6_addr {
                        s6_addr: a.ip().octets(),
                    },
                    sin6_scope_id: a.scope_id(),
                };
                // SAFETY: as above.
                unsafe { out.as_mut_ptr().cast::<libc::sockaddr_in6>().write(sin6) };
                out.len = mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t;
            }
        }
        out
    }

    /// The IPv4 or IPv6 address stored, if it is one.
    pub(crate) fn to_inet(&self) -> io::Result<SocketAddr> {
        match self.family() {
            libc::AF_INET if self.len as usize >= mem::size_of::<libc::sockaddr_in>() => {
                // SAFETY: the family says the storage holds a sockaddr_in.
                let sin = unsafe { &*self.as_ptr().cast::<libc::sockaddr_in>() };
                let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
                Ok(SocketAddr::V4(SocketAddrV4::new(
                    ip,
                    u16::from_be(sin.sin_port),
                )))
            }
            libc::AF_INET6 if self.len as usize >= mem::size_of::<libc::sockaddr_in6>() => {
                // SAFETY: the family says the storage holds a sockaddr_in6.
                let sin6 = unsafe { &*self.as_ptr().cast::<libc::sockaddr_in6>() };
                Ok(SocketAddr::V6(SocketAddrV6::new(
                    Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                    u16::from_be(sin6.sin6_port),
                    sin6.sin6_flowinfo,
                    sin6.sin6_scope_id,
                )))
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the kernel returned an address that is not IPv4 or IPv6",
            )),
        }
    }

    /// A Unix socket path (a leading NUL byte names an abstract address).
    pub(crate) fn from_unix_path(path: &Path) -> io::Result<SockAddr> {
        let bytes = path.as_os_str().as_bytes();
        let mut out = SockAddr::empty();
        // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_un.
        let sun = unsafe { &mut *out.as_mut_ptr().cast::<libc::sockaddr_un>() };
        if bytes.len() >= sun.sun_path.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a Unix socket path must be shorter than 108 bytes",
            ));
        }
        if bytes.first() != Some(&0) && bytes.contains(&0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a Unix socket path must not contain NUL bytes",
            ));
        }
        sun.sun_family = libc::AF_UNIX as libc::sa_family_t;
        for (d, s) in sun.sun_path.iter_mut().zip(bytes) {
            *d = *s as libc::c_char;
        }
        let base = mem::size_of::<libc::sa_family_t>();
        // Pathnames carry their NUL terminator; abstract names do not.
        let extra = if bytes.first() == Some(&0) { 0 } else { 1 };
        out.len = (base + bytes.len() + extra) as libc::socklen_t;
        Ok(out)
    }

    /// The Unix socket address stored (pathname, abstract or unnamed).
    pub(crate) fn to_unix(&self) -> io::Result<UnixAddr> {
        if self.family() != libc::AF_UNIX && self.len != 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the kernel returned an address that is not a Unix socket address",
            ));
        }
        let base = mem::size_of::<libc::sa_family_t>();
        let len = (self.len as usize).saturating_sub(base);
        if len == 0 {
            return unnamed();
        }
        // SAFETY: the family says the storage holds a sockaddr_un.
        let sun = unsafe { &*self.as_ptr().cast::<libc::sockaddr_un>() };
        let raw: Vec<u8> = sun.sun_path[..len.min(sun.sun_path.len())]
            .iter()
            .map(|&c| c as u8)
            .collect();
        if raw[0] == 0 {
            UnixAddr::from_abstract_name(&raw[1..])
        } else {
            let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
            UnixAddr::from_pathname(Path::new(OsStr::from_bytes(&raw[..end])))
        }
    }
}

/// std has no constructor for an unnamed Unix address; an unbound socket's
/// own address is one, made once.
fn unnamed() -> io::Result<UnixAddr> {
    static UNNAMED: OnceLock<UnixAddr> = OnceLock::new();
    if let Some(a) = UNNAMED.get() {
        return Ok(a.clone());
    }
    let addr = std::os::unix::net::UnixDatagram::unbound()?.local_addr()?;
    Ok(UNNAMED.get_or_init(|| addr).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet_round_trips() {
        for a in ["127.0.0.1:8080", "[::1]:443", "[fe80::1%2]:1"] {
            let a: SocketAddr = a.parse().unwrap();
            assert_eq!(SockAddr::from_inet(&a).to_inet().unwrap(), a);
        }
    }

    #[test]
    fn unix_round_trips() {
        let s = SockAddr::from_unix_path(Path::new("/tmp/x.sock")).unwrap();
        assert_eq!(
            s.to_unix().unwrap().as_pathname(),
            Some(Path::new("/tmp/x.sock"))
        );
        let s = SockAddr::from_unix_path(Path::new("\0abstract")).unwrap();
        assert_eq!(
            s.to_unix().unwrap().as_abstract_name(),
            Some(&b"abstract"[..])
        );
        assert!(SockAddr::from_unix_path(Path::new(&"x".repeat(200))).is_err());
    }
}
