//! Spreadsheets (work in progress).
