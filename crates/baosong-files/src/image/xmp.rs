//! XMP: the XML metadata packet Adobe tools, phones and exiftool write.
//! Properties may be attributes of `rdf:Description` or child elements
//! (with `rdf:Seq`/`rdf:Alt` lists), under prefixes that vary; they are
//! matched by local name, which is what identifies them in practice.

use quick_xml::events::Event;

use super::gps::{GpsPosition, from_dms};
use super::{MetaClass, MetaField};
use crate::xmlread::{XmlReader, attr, event_text, local_name};

/// An XMP packet is small; deeper nesting than this is not metadata.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Default)]
pub(crate) struct Found {
    pub gps: Option<GpsPosition>,
    pub fields: Vec<MetaField>,
}

/// Properties reported, by local name.
fn property(local: &str) -> Option<(MetaClass, &'static str)> {
    use MetaClass::*;
    Some(match local {
        "SerialNumber" | "BodySerialNumber" => (Device, "相机序列号"),
        "LensSerialNumber" => (Device, "镜头序列号"),
        "OwnerName" | "CameraOwnerName" => (Device, "机主"),
        "Make" => (Device, "相机厂商"),
        "Model" => (Device, "相机型号"),
        "creator" | "Artist" => (Personal, "作者"),
        "AuthorsPosition" => (Personal, "作者职务"),
        "CaptionWriter" => (Personal, "说明撰写人"),
        "Credit" => (Personal, "署名"),
        "City" => (Personal, "拍摄地点（城市）"),
        "State" => (Personal, "拍摄地点（省份）"),
        "Location" => (Personal, "拍摄地点"),
        "description" => (Description, "图片说明"),
        "title" => (Description, "标题"),
        "UserComment" => (Description, "用户注释"),
        "Headline" => (Description, "标题"),
        "rights" => (Other, "版权"),
        "CreatorTool" => (Other, "软件"),
        "DateTimeOriginal" | "DateCreated" => (Other, "拍摄时间"),
        _ => return None,
    })
}

fn is_gps(local: &str) -> bool {
    matches!(local, "GPSLatitude" | "GPSLongitude" | "GPSAltitude")
}

/// Reads a packet; a damaged one yields what was read before the damage.
pub(crate) fn read(packet: &[u8]) -> Found {
    let xml = String::from_utf8_lossy(packet);
    let mut values: Vec<(String, String)> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    // Text of the element being read: entities split it into several events.
    let mut pending: Option<(String, String)> = None;
    let mut reader = XmlReader::new(&xml, "XMP", MAX_DEPTH, None);
    while let Ok(event) = reader.next() {
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                flush(&mut values, &mut pending);
                for a in e.attributes().flatten() {
                    let key = a.key.local_name().as_ref().to_owned();
                    if property(&key).is_some() || is_gps(&key) {
                        let value = attr(e, &key).unwrap_or_default();
                        add(&mut values, &key, &value);
                    }
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(local_name(e));
                }
            }
            Event::End(_) => {
                flush(&mut values, &mut pending);
                stack.pop();
            }
            _ => {
                let Some(text) = event_text(&event) else {
                    continue;
                };
                let owner = stack
                    .iter()
                    .rev()
                    .find(|n| property(n).is_some() || is_gps(n));
                if let Some(owner) = owner {
                    let (_, buf) = pending.get_or_insert_with(|| (owner.clone(), String::new()));
                    buf.push_str(&text);
                }
            }
        }
    }
    flush(&mut values, &mut pending);
    found(values)
}

fn flush(values: &mut Vec<(String, String)>, pending: &mut Option<(String, String)>) {
    if let Some((key, text)) = pending.take() {
        add(values, &key, &text);
    }
}

/// Appends `value` to the property's text (list items joined with `、`).
fn add(values: &mut Vec<(String, String)>, key: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    match values.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => {
            v.push('、');
            v.push_str(value);
        }
        None => values.push((key.to_owned(), value.to_owned())),
    }
}

fn found(values: Vec<(String, String)>) -> Found {
    let get = |k: &str| values.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let gps = match (get("GPSLatitude"), get("GPSLongitude")) {
        (Some(lat), Some(lon)) => match (coordinate(lat), coordinate(lon)) {
            (Some(latitude), Some(longitude)) => Some(GpsPosition {
                latitude,
                longitude,
                altitude: get("GPSAltitude").and_then(|a| rational(a)),
            }),
            _ => None,
        },
        _ => None,
    };
    let fields = values
        .iter()
        .filter_map(|(k, v)| {
            let (class, label) = property(k)?;
            Some(MetaField {
                class,
                label: label.to_owned(),
                value: v.clone(),
            })
        })
        .collect();
    Found { gps, fields }
}

/// XMP writes a coordinate as `DDD,MM.mmmmN` or `DDD,MM,SSN`.
fn coordinate(s: &str) -> Option<f64> {
    let s = s.trim();
    let (number, reference) = s.split_at(s.len().checked_sub(1)?);
    if !matches!(reference, "N" | "S" | "E" | "W") {
        return s.parse().ok();
    }
    let mut parts = number.split(',').map(|p| p.trim().parse::<f64>());
    let degrees = parts.next()?.ok()?;
    let minutes = parts.next().unwrap_or(Ok(0.0)).ok()?;
    let seconds = parts.next().unwrap_or(Ok(0.0)).ok()?;
    Some(from_dms([degrees, minutes, seconds], reference))
}

/// `50/1` or `50`.
fn rational(s: &str) -> Option<f64> {
    match s.split_once('/') {
        Some((n, d)) => {
            let d: f64 = d.trim().parse().ok()?;
            (d != 0.0).then_some(n.trim().parse::<f64>().ok()? / d)
        }
        None => s.trim().parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/"
         exif:GPSLatitude="39,54.252N" exif:GPSLongitude="116,24.444E" xmp:CreatorTool="相机 App">
        <dc:creator><rdf:Seq><rdf:li>王五</rdf:li><rdf:li>Li &amp; Co</rdf:li></rdf:Seq></dc:creator>
        <dc:description><rdf:Alt><rdf:li xml:lang="x-default">会议 13700001111</rdf:li></rdf:Alt></dc:description>
      </rdf:Description></rdf:RDF></x:xmpmeta>"#;

    #[test]
    fn finds_gps_creator_and_description() {
        let f = read(PACKET.as_bytes());
        let gps = f.gps.unwrap();
        assert!((gps.latitude - 39.9042).abs() < 1e-4, "{gps:?}");
        assert!((gps.longitude - 116.4074).abs() < 1e-4, "{gps:?}");
        let get = |l: &str| {
            f.fields
                .iter()
                .find(|x| x.label == l)
                .map(|x| x.value.as_str())
        };
        assert_eq!(get("作者"), Some("王五、Li & Co"));
        assert_eq!(get("图片说明"), Some("会议 13700001111"));
        assert_eq!(get("软件"), Some("相机 App"));
    }

    #[test]
    fn damaged_packet_keeps_what_was_read() {
        let f = read(b"<r xmlns:dc='d'><dc:creator>A</dc:creator><broken");
        assert_eq!(f.fields.len(), 1);
        assert!(read(b"\xff\xfe not xml").fields.is_empty());
    }
}
