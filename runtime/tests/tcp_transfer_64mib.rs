//! 64 MiB over loopback TCP arrive whole and in order (checked by hash).

use std::hash::Hasher;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::{run, spawn};

const TOTAL: usize = 64 << 20;

/// FNV-1a, 64 bit: order-sensitive and dependency-free.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn pattern(i: usize) -> u8 {
    (i.wrapping_mul(2_654_435_761) >> 7) as u8
}

#[test]
fn sixty_four_mib_arrive_intact() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sender = spawn(async move {
            let stream = TcpStream::connect(&addr).await.unwrap();
            let mut h = Fnv(0xcbf2_9ce4_8422_2325);
            let mut sent = 0;
            while sent < TOTAL {
                let chunk: Vec<u8> = (sent..(sent + (256 << 10)).min(TOTAL))
                    .map(pattern)
                    .collect();
                h.write(&chunk);
                sent += chunk.len();
                let (res, _) = stream.write_all(chunk).await;
                res.unwrap();
            }
            h.finish()
        });
        let (stream, _) = listener.accept().await.unwrap();
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        let mut got = 0;
        let mut buf = Vec::with_capacity(128 << 10);
        loop {
            buf.clear();
            let (res, b) = stream.read(buf).await;
            let n = res.unwrap();
            if n == 0 {
                break;
            }
            h.write(&b[..n]);
            got += n;
            buf = b;
        }
        assert_eq!(got, TOTAL);
        assert_eq!(h.finish(), sender.await.unwrap());
    })
    .unwrap();
}
