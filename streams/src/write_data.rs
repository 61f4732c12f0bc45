//! [`WriteData`]: what [`StreamWriter::write`](crate::StreamWriter::write)
//! accepts, so that `writer.write(b"hello\n")` and `writer.write(&buf[..n])`
//! work as asyncio's `writer.write(data)` does.

use bytes::{Bytes, BytesMut};

/// Bytes that [`StreamWriter::write`](crate::StreamWriter::write) can queue.
///
/// Owned buffers (`Bytes`, `BytesMut`, `Vec<u8>`, `String`, `Box<[u8]>`)
/// are queued without a copy; borrowed ones (`&[u8]`, a byte-string literal
/// `b"..."`, `&str`, `&Vec<u8>`, `&String`) are copied, since the writer
/// sends them later, after the borrow ends.
pub trait WriteData {
    /// The bytes, as a `Bytes` the writer can keep.
    fn into_bytes(self) -> Bytes;
}

impl WriteData for Bytes {
    fn into_bytes(self) -> Bytes {
        self
    }
}

impl WriteData for BytesMut {
    fn into_bytes(self) -> Bytes {
        self.freeze()
    }
}

impl WriteData for Vec<u8> {
    fn into_bytes(self) -> Bytes {
        Bytes::from(self)
    }
}

impl WriteData for Box<[u8]> {
    fn into_bytes(self) -> Bytes {
        Bytes::from(self)
    }
}

impl WriteData for String {
    fn into_bytes(self) -> Bytes {
        Bytes::from(self)
    }
}

impl WriteData for &[u8] {
    fn into_bytes(self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl<const N: usize> WriteData for &[u8; N] {
    fn into_bytes(self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl WriteData for &str {
    fn into_bytes(self) -> Bytes {
        Bytes::copy_from_slice(self.as_bytes())
    }
}

impl WriteData for &Vec<u8> {
    fn into_bytes(self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl WriteData for &String {
    fn into_bytes(self) -> Bytes {
        Bytes::copy_from_slice(self.as_bytes())
    }
}

impl WriteData for &Bytes {
    fn into_bytes(self) -> Bytes {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_gives_the_same_bytes() {
        let buf: Vec<u8> = b"hi!?".to_vec();
        let s = String::from("hi!");
        let all: Vec<Bytes> = vec![
            b"hi!".into_bytes(),
            (&buf[..3]).into_bytes(),
            "hi!".into_bytes(),
            (&s).into_bytes(),
            WriteData::into_bytes(s.clone()),
            buf[..3].to_vec().into_bytes(),
            (&Bytes::from_static(b"hi!")).into_bytes(),
            BytesMut::from(&b"hi!"[..]).into_bytes(),
            Box::<[u8]>::from(&b"hi!"[..]).into_bytes(),
        ];
        for b in all {
            assert_eq!(&b[..], b"hi!");
        }
    }

    #[test]
    fn owned_buffers_are_not_copied() {
        let v = b"abc".to_vec();
        let ptr = v.as_ptr();
        assert_eq!(WriteData::into_bytes(v).as_ptr(), ptr);
    }
}
