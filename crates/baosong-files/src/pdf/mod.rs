//! PDF (work in progress).
