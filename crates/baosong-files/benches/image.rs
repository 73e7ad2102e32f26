//! Stripping metadata from a 10 MB JPEG (issue 7: < 100 ms), and making the
//! web copy of a 24-megapixel phone photo (no target; a person waits for it).
//!
//!     cargo bench -p baosong-files --bench image
//!
//! The photo is the metadata-laden fixture with its scan data grown to
//! 10 MB of pseudo-random entropy-coded bytes: the stripper never decodes
//! the scan, so its cost depends on the size, not the picture.

use std::hint::black_box;

use baosong_files::image::{WebSize, downscale, strip};
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

/// A 6000×4000 photo-like JPEG (gradients and noise), quality 92: what a
/// current phone writes, ~15 MB.
fn phone_photo() -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9;
    let img = image::RgbImage::from_fn(6000, 4000, |i, j| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x % 40) as u8;
        image::Rgb([
            ((i * 255 / 6000) as u8).saturating_add(n),
            ((j * 255 / 4000) as u8).saturating_add(n),
            ((i + j) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&img)
        .map(|()| out)
        .unwrap_or_default()
}

fn bench_web_copy(c: &mut Criterion) {
    let photo = phone_photo();
    eprintln!("phone photo: {:.1} MB", photo.len() as f64 / 1e6);
    let mut group = c.benchmark_group("web copy");
    group.sample_size(10);
    group.bench_function("24 MP JPEG to 1920 px, quality 85", |b| {
        b.iter(|| {
            downscale(black_box(&photo), WebSize::default()).map(|d| d.map(|d| d.bytes.len()))
        })
    });
    group.finish();
}

criterion_group!(benches, bench, bench_web_copy);
criterion_main!(benches);
