//! Hard limits on what reading a file may cost. A hostile or broken file
//! meets one of these and is refused; it never exhausts memory or time.

use std::time::{Duration, Instant};

use crate::FileError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file itself.
    pub max_file_bytes: u64,
    /// All parts together, decompressed.
    pub max_expanded_bytes: u64,
    /// Number of parts in a package.
    pub max_parts: usize,
    /// XML element nesting.
    pub max_xml_depth: usize,
    /// Wall time for one read (import, scan or clean).
    pub max_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 200 * 1024 * 1024,
            max_expanded_bytes: 512 * 1024 * 1024,
            max_parts: 10_000,
            max_xml_depth: 256,
            max_time: Duration::from_secs(30),
        }
    }
}

/// The deadline of one read; checked in loops over parts and XML events.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Instant,
    seconds: u64,
}

impl Deadline {
    pub fn start(limits: &Limits) -> Deadline {
        Deadline {
            at: Instant::now() + limits.max_time,
            seconds: limits.max_time.as_secs().max(1),
        }
    }

    pub fn check(&self) -> Result<(), FileError> {
        if Instant::now() > self.at {
            Err(FileError::TimedOut {
                seconds: self.seconds,
            })
        } else {
            Ok(())
        }
    }
}

pub(crate) fn mb(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}
