//! Dates: parsing the API's ISO-8601 timestamps, and showing them to people.

const MS_PER_DAY: f64 = 86_400_000.0;

/// Parses an ISO-8601 / RFC 3339 timestamp (`2026-12-31T00:00:00.000Z`, with an offset,
/// or a bare date) into milliseconds since the Unix epoch. `None` for anything else.
pub fn parse_iso_ms(raw: &str) -> Option<f64> {
    let raw = raw.trim();
    let (date, rest) = match raw.find(['T', 't', ' ']) {
        Some(i) => (&raw[..i], &raw[i + 1..]),
        None => (raw, ""),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) as f64 * MS_PER_DAY;
    if rest.is_empty() {
        return Some(ms);
    }
    let (clock, offset_minutes) = split_offset(rest)?;
    let mut fields = clock.splitn(3, ':');
    let hours: u32 = fields.next()?.parse().ok()?;
    let minutes: u32 = fields.next()?.parse().ok()?;
    let (seconds, millis) = match fields.next() {
        Some(seconds) => parse_seconds(seconds)?,
        None => (0, 0),
    };
    if hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    ms += f64::from((hours * 3600 + minutes * 60 + seconds) * 1000 + millis);
    ms -= offset_minutes as f64 * 60_000.0;
    Some(ms)
}

/// `SS` or `SS.fff…` as whole seconds and milliseconds, without float parsing.
fn parse_seconds(text: &str) -> Option<(u32, u32)> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |acc, digit| acc * 10 + u32::from(digit - b'0'));
    Some((whole.parse().ok()?, millis))
}

fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(i) = rest.rfind(['+', '-']) else {
        return Some((rest, 0));
    };
    let (clock, offset) = rest.split_at(i);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    // ASCII digits only: the slicing below is by byte.
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits[..2].parse().ok()?;
    let m: i64 = digits[2..].parse().ok()?;
    Some((clock, sign * (h * 60 + m)))
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whole days from `now_ms` until `at_ms`, rounded up as Flui does
/// (`ceil((expiresAt - now) / 1 day)`): 0 or less means the moment has passed.
pub fn days_until(at_ms: f64, now_ms: f64) -> i64 {
    ((at_ms - now_ms) / MS_PER_DAY).ceil() as i64
}

/// "1 day", "5 days".
pub fn days_phrase(days: i64) -> String {
    if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    }
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as f64)
            .unwrap_or_default()
    }
}

/// "31 Dec 2026", in the user's time zone in the browser (UTC on the host).
pub fn format_date(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
        let options = js_sys::Object::new();
        for (key, value) in [("day", "numeric"), ("month", "short"), ("year", "numeric")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        String::from(date.to_locale_date_string("en-GB", &options))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (y, m, d) = civil_from_days((ms / MS_PER_DAY).floor() as i64);
        format!("{d} {} {y}", MONTHS[(m - 1) as usize])
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_timestamps_parse_to_epoch_ms() {
        assert_eq!(parse_iso_ms("1970-01-01T00:00:00.000Z"), Some(0.0));
        assert_eq!(parse_iso_ms("1970-01-02"), Some(MS_PER_DAY));
        assert_eq!(parse_iso_ms("2000-03-01T00:00:00Z"), Some(951_868_800_000.0));
        assert_eq!(
            parse_iso_ms("2026-11-25T02:00:00+02:00"),
            parse_iso_ms("2026-11-25T00:00:00Z")
        );
        assert_eq!(
            parse_iso_ms("2026-11-25T00:00:00.500Z"),
            parse_iso_ms("2026-11-25T00:00:00Z").map(|v| v + 500.0)
        );
        assert_eq!(
            parse_iso_ms("2026-11-25T00:00:00.5Z"),
            parse_iso_ms("2026-11-25T00:00:00Z").map(|v| v + 500.0)
        );
        assert_eq!(
            parse_iso_ms("2026-11-25T00:00:00.1239Z"),
            parse_iso_ms("2026-11-25T00:00:00Z").map(|v| v + 123.0)
        );
        assert_eq!(
            parse_iso_ms("2026-11-25T10:30Z"),
            parse_iso_ms("2026-11-25T10:30:00Z")
        );
        for bad in [
            "",
            "soon",
            "2026-11-25T00:00:00.x5Z",
            "2026-11-25T00:00:61Z",
            "2026-11-25T00:60:00Z",
            "2026-13-01",
            "2026-11-25T25:00:00Z",
            "2026-11-25T10:00:00+5",
            "2026-11-25T10:00:00+aé:b",
            "2026-11-25T10:00:00-é1:0",
        ] {
            assert_eq!(parse_iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn no_corruption_of_a_timestamp_makes_the_parser_panic() {
        let valid = "2026-11-25T10:00:00.000+02:00";
        let tricky = ['é', '€', '😀', '+', '-', ':', 'T', 'Z', ' ', '.', '9', '\0'];
        for (i, _) in valid.char_indices() {
            for c in tricky {
                let mut broken = valid.to_owned();
                broken.replace_range(i..i + 1, &c.to_string());
                let _ = parse_iso_ms(&broken);
                let _ = parse_iso_ms(&broken[..i]);
            }
        }
    }

    #[test]
    fn days_round_up_like_flui() {
        let now = parse_iso_ms("2026-11-25T12:00:00Z").unwrap();
        let at = |s| parse_iso_ms(s).unwrap();
        assert_eq!(days_until(at("2026-11-25T12:00:01Z"), now), 1);
        assert_eq!(days_until(at("2026-11-26T12:00:00Z"), now), 1);
        assert_eq!(days_until(at("2026-11-26T12:00:01Z"), now), 2);
        assert_eq!(days_until(at("2026-11-25T12:00:00Z"), now), 0);
        assert_eq!(days_until(at("2026-11-22T11:00:00Z"), now), -3);
    }

    #[test]
    fn dates_read_day_month_year() {
        assert_eq!(
            format_date(parse_iso_ms("2026-12-31T10:00:00Z").unwrap()),
            "31 Dec 2026"
        );
        assert_eq!(format_date(parse_iso_ms("2024-02-29").unwrap()), "29 Feb 2024");
        assert_eq!(days_phrase(1), "1 day");
        assert_eq!(days_phrase(36), "36 days");
    }
}
