//! The byte pattern streamed by the byte-exact scenarios: byte `i` of a
//! stream is `i % 251` (a prime, so no chunk size lines up with it and a
//! lost or repeated chunk shows at once).

/// Byte `i` of the pattern.
pub fn byte_at(i: usize) -> u8 {
    (i % 251) as u8
}

/// Bytes `from..from + len` of the pattern.
pub fn chunk(from: usize, len: usize) -> Vec<u8> {
    (from..from + len).map(byte_at).collect()
}

/// Where `got` first differs from the first `total` bytes of the pattern,
/// or `None` when `got` is exactly those bytes.
pub fn first_mismatch(got: &[u8], total: usize) -> Option<usize> {
    if let Some(i) = got.iter().enumerate().position(|(i, &b)| b != byte_at(i)) {
        return Some(i);
    }
    (got.len() != total).then_some(got.len().min(total))
}

/// A small deterministic generator (xorshift64*), so runs repeat exactly.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed` (0 is replaced by a fixed seed).
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}
