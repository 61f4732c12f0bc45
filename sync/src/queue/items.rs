//! Where a queue keeps its items: the one part that differs between
//! [`Queue`](crate::Queue), [`LifoQueue`](crate::LifoQueue) and
//! [`PriorityQueue`](crate::PriorityQueue).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// The items of a queue, in the order its kind hands them out.
pub(crate) enum Items<T> {
    /// First in, first out.
    Fifo(VecDeque<T>),
    /// Last in, first out.
    Lifo(Vec<T>),
    /// Smallest first. `BinaryHeap`'s methods need `T: Ord`, which only the
    /// `PriorityQueue` constructor knows, so it supplies them as functions.
    Priority {
        heap: BinaryHeap<Reverse<T>>,
        push: fn(&mut BinaryHeap<Reverse<T>>, T),
        pop: fn(&mut BinaryHeap<Reverse<T>>) -> Option<T>,
    },
}

impl<T> Items<T> {
    pub(crate) fn fifo() -> Self {
        Items::Fifo(VecDeque::new())
    }

    pub(crate) fn lifo() -> Self {
        Items::Lifo(Vec::new())
    }

    pub(crate) fn priority() -> Self
    where
        T: Ord,
    {
        Items::Priority {
            heap: BinaryHeap::new(),
            push: |heap, item| heap.push(Reverse(item)),
            pop: |heap| heap.pop().map(|Reverse(item)| item),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Items::Fifo(items) => items.len(),
            Items::Lifo(items) => items.len(),
            Items::Priority { heap, .. } => heap.len(),
        }
    }

    /// Adds a new item.
    pub(crate) fn push(&mut self, item: T) {
        match self {
            Items::Fifo(items) => items.push_back(item),
            Items::Lifo(items) => items.push(item),
            Items::Priority { heap, push, .. } => push(heap, item),
        }
    }

    /// Takes the next item out.
    pub(crate) fn pop(&mut self) -> Option<T> {
        match self {
            Items::Fifo(items) => items.pop_front(),
            Items::Lifo(items) => items.pop(),
            Items::Priority { heap, pop, .. } => pop(heap),
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn drain(mut items: Items<i32>) -> Vec<i32> {
        std::iter::from_fn(|| items.pop()).collect()
    }

    #[test]
    fn each_kind_hands_out_in_its_order() {
        for (mut items, want) in [
            (Items::fifo(), [3, 1, 2]),
            (Items::lifo(), [2, 1, 3]),
            (Items::priority(), [1, 2, 3]),
        ] {
            for i in [3, 1, 2] {
                items.push(i);
            }
            assert_eq!(drain(items), want);
        }
    }
}
