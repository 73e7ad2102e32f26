//! Stripping metadata from a 10 MB JPEG (issue 7: < 100 ms).
//!
//!     cargo bench -p baosong-files --bench image
//!
//! The photo is the metadata-laden fixture with its scan data grown to
//! 10 MB of pseudo-random entropy-coded bytes: the stripper never decodes
//! the scan, so its cost depends on the size, not the picture.

use std::hint::black_box;

use baosong_files::image::strip;
use criterion::{Criterion, criterion_group, criterion_main};

const FIXTURE: &[u8] = include_bytes!("../tests/fixtures/images/gps-serial.jpg");
const SIZE: usize = 10 * 1024 * 1024;

/// The fixture's segments up to and including the SOS header, then `SIZE`
/// bytes of scan data (no 0xFF, as byte stuffing guarantees), then EOI.
fn ten_mb_jpeg() -> Vec<u8> {
    let mut i = 2;
    let sos_end = loop {
        let len = usize::from(u16::from_be_bytes([FIXTURE[i + 2], FIXTURE[i + 3]]));
        if FIXTURE[i + 1] == 0xDA {
            break i + 2 + len;
        }
        i += 2 + len;
    };
    let mut out = FIXTURE[..sos_end].to_vec();
    let mut x: u32 = 0x9E37_79B9;
    out.extend((0..SIZE).map(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        (x % 255) as u8
    }));
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn bench(c: &mut Criterion) {
    let photo = ten_mb_jpeg();
    c.bench_function("strip 10 MB JPEG", |b| {
        b.iter(|| strip(black_box(&photo)).map(|s| s.bytes.len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
