//! OOXML document properties (work in progress).
