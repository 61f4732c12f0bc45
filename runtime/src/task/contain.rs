//! Drop guards for the places where user code runs inside the runtime's
//! own machinery: a future's destructor, a panic payload's destructor, a
//! waker's `wake` or drop. A panic there must never unwind through the
//! executor's bookkeeping (it would skip restoring its invariants), so each
//! such call is wrapped here.
//!
//! A panic payload is itself user data: its destructor may panic too. It is
//! dropped inside a guard of its own; a payload of *that* panic is leaked
//! (forgotten) rather than dropped, which is always sound and ends the chain.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A caught panic's payload.
pub(crate) type Payload = Box<dyn Any + Send + 'static>;

/// Drops `value`, catching a panic in its destructor.
pub(crate) fn drop_catching<T>(value: T) -> Result<(), Payload> {
    catch_unwind(AssertUnwindSafe(move || drop(value)))
}

/// Runs `f`, catching a panic in it.
pub(crate) fn call_catching<R>(f: impl FnOnce() -> R) -> Result<R, Payload> {
    catch_unwind(AssertUnwindSafe(f))
}

/// Drops a payload nobody will read; a panic in its destructor is caught and
/// that second payload is leaked, never dropped.
pub(crate) fn dispose(payload: Payload) {
    if let Err(second) = drop_catching(payload) {
        std::mem::forget(second);
    }
}

/// Reports a contained panic (`what` says where it happened) and disposes
/// of its payload.
pub(crate) fn report(what: &str, payload: Payload) {
    tracing::error!(
        panic = %panic_message(&*payload),
        "{what} panicked; the panic was contained"
    );
    dispose(payload);
}

/// Runs `f` (user code inside the machinery); a panic is reported and
/// contained.
pub(crate) fn contain(what: &str, f: impl FnOnce()) {
    if let Err(p) = call_catching(f) {
        report(what, p);
    }
}

/// The text of a panic payload, when it has one.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "<non-string panic payload>"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct PanicsOnDrop;
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            std::panic::panic_any(PayloadPanicsOnDrop);
        }
    }

    struct PayloadPanicsOnDrop;
    impl Drop for PayloadPanicsOnDrop {
        fn drop(&mut self) {
            // A zero-sized payload: leaking it (as `dispose` does with the
            // payload of this second panic) leaks no memory, so the test
            // also runs clean under Miri's leak check.
            std::panic::panic_any(());
        }
    }

    #[test]
    fn a_payload_whose_destructor_panics_does_not_escape() {
        let payload = drop_catching(PanicsOnDrop).unwrap_err();
        assert!(payload.is::<PayloadPanicsOnDrop>());
        // Would unwind out of here if the payload were dropped unguarded.
        dispose(payload);
    }

    #[test]
    fn call_catching_returns_the_value_or_the_payload() {
        assert_eq!(call_catching(|| 7).unwrap(), 7);
        let p = call_catching(|| -> u8 { panic!("boom") }).unwrap_err();
        assert_eq!(panic_message(&*p), "boom");
    }
}
