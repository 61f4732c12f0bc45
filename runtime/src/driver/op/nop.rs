//! `IORING_OP_NOP`: completes at once; used to measure and test the ring.

use io_uring::{opcode, squeue};

use super::{OpCode, Readiness};

/// A no-op.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Nop;

// SAFETY: the SQE points to no memory.
unsafe impl OpCode for Nop {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::Nop::new().build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Inline
    }

    fn attempt(&mut self) -> i32 {
        0
    }
}
