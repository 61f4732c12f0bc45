//! ringio-runtime: the io_uring event loop.
