//! Every primitive, guard and future is `Send + Sync` (the futures `Send`),
//! so they work in multi-threaded executors.

use ringio_sync::oneshot;
use ringio_sync::*;

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>() {}

#[test]
fn primitives_are_send_and_sync() {
    send_sync::<Queue<String>>();
    send_sync::<LifoQueue<String>>();
    send_sync::<PriorityQueue<String>>();
    send_sync::<Lock<Vec<u8>>>();
    send_sync::<LockGuard<'static, Vec<u8>>>();
    send_sync::<Event>();
    send_sync::<Condition>();
    send_sync::<Semaphore>();
    send_sync::<SemaphorePermit<'static>>();
    send_sync::<BoundedSemaphore>();
    send_sync::<Barrier>();
    send_sync::<oneshot::Sender<String>>();
    send_sync::<oneshot::Receiver<String>>();
}

#[test]
fn futures_are_send() {
    send::<queue::Put<'static, String>>();
    send::<queue::Get<'static, String>>();
    send::<queue::Join<'static, String>>();
    send::<LockFuture<'static, String>>();
    send::<ConditionWait<'static, 'static, String>>();
    send::<Acquire<'static>>();
    send::<EventWait<'static>>();
    send::<BarrierWait<'static>>();
}

#[test]
fn errors_are_std_errors() {
    fn error<E: std::error::Error + Send + Sync + 'static>() {}
    error::<QueueEmpty>();
    error::<QueueFull<String>>();
    error::<QueueShutDown>();
    error::<QueueShutDown<String>>();
    error::<TryPutError<String>>();
    error::<TryGetError>();
    error::<TaskDoneError>();
    error::<TryLockError>();
    error::<TryAcquireError>();
    error::<BoundedSemaphoreOverflow>();
    error::<BrokenBarrierError>();
    error::<oneshot::SetError<String>>();
    error::<oneshot::RecvError>();
    error::<oneshot::TryRecvError>();
}
