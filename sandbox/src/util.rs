//! Small helpers both sides of the sandbox use: timestamps as Flui writes them, URL and
//! form encoding, random values and hashes, cookies. A leaf: it imports nothing else
//! from the sandbox.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

// ---- time ------------------------------------------------------------------------------

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// JavaScript's `toISOString`: `2026-11-25T10:00:00.000Z`.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn now_iso() -> String {
    iso(now())
}

pub fn parse_iso(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

// ---- random values and hashes ------------------------------------------------------------

pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

pub fn random_hex(bytes: usize) -> String {
    let buf: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    hex::encode(buf)
}

// ---- URLs, forms and cookies -----------------------------------------------------------

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` and `+` once. `None` for an invalid escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// `application/x-www-form-urlencoded` pairs, decoded, with repeated keys kept.
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

/// The first value of field `name` in decoded form pairs, or "".
pub fn form_field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `base?k=v&…` (or `&` when `base` has a query already), leaving out empty values.
pub fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if query.is_empty() {
        return base.to_owned();
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{}", query.join("&"))
}

/// The value of cookie `name` in the request, when present and not empty.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

// ---- schema ------------------------------------------------------------------------------

/// Adds the columns a table created by an older sandbox lacks (a kept database survives
/// an upgrade). `columns` are `(name, declaration)`.
pub fn add_missing_columns(
    conn: &rusqlite::Connection,
    table: &str,
    columns: &[(&str, &str)],
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let present: Vec<String> = stmt.query_map([], |r| r.get(1))?.collect::<Result<_, _>>()?;
    for (name, declaration) in columns {
        if !present.iter().any(|p| p == name) {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {name} {declaration}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_keep_repeated_keys_and_decode_once() {
        let pairs = form_pairs("repo=1&repo=2&target=acme&state=a%2Bb%25c&x=a+b");
        assert_eq!(pairs.iter().filter(|(k, _)| k == "repo").count(), 2);
        assert!(pairs.contains(&("state".into(), "a+b%c".into())));
        assert!(pairs.contains(&("x".into(), "a b".into())));
        assert_eq!(form_field(&pairs, "target"), "acme");
        assert_eq!(form_field(&pairs, "absent"), "");
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), Some("%4".into()));
    }

    #[test]
    fn queries_are_encoded_and_empty_values_left_out() {
        assert_eq!(
            with_query("/x", &[("a", "1 2"), ("b", ""), ("c", "é/")]),
            "/x?a=1%202&c=%C3%A9%2F"
        );
        assert_eq!(with_query("/x?y=1", &[("a", "b")]), "/x?y=1&a=b");
        assert_eq!(with_query("/x", &[("a", "")]), "/x");
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; flui_session=tok; b=".parse().unwrap());
        assert_eq!(cookie(&headers, "flui_session").as_deref(), Some("tok"));
        assert_eq!(cookie(&headers, "b"), None);
        assert_eq!(cookie(&headers, "c"), None);
    }
}
