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

/// "in 5 days", "today", "3 days ago": `days` as [`days_until`] counts them.
pub fn relative_days(days: i64) -> String {
    match days {
        d if d > 0 => format!("in {}", days_phrase(d)),
        0 => "today".to_owned(),
        d => format!("{} ago", days_phrase(-d)),
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

/// "31 Dec 2026", in the user's time zone in the browser (UTC on the host). Not through
/// `toLocaleDateString`: the browser's first use of its date formatting (Intl) costs
/// 20 to 30 ms on a cold load, more than the rest of the page's first data together.
pub fn format_date(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        local_date(&js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))).label()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let (year, month, day) = civil_from_days((ms / MS_PER_DAY).floor() as i64);
        LocalDate { year, month, day }.label()
    }
}

/// A calendar date, without a time zone: what a date input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDate {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl LocalDate {
    /// `YYYY-MM-DD`, as a date input gives it; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let date = Self {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        // Round-tripping through the day count refuses 31 Feb and the like.
        (date.add_days(0) == date && (1..=12).contains(&date.month)).then_some(date)
    }

    /// "23 Feb 2027": the date itself, with no time zone to shift it.
    pub fn label(self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS
            .get(self.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("?");
        format!("{} {month} {}", self.day, self.year)
    }

    pub fn add_days(self, days: i64) -> Self {
        let (year, month, day) = civil_from_days(days_from_civil(self.year, self.month, self.day) + days);
        Self { year, month, day }
    }

    /// The ISO timestamp of the last second of this day, where the clock is
    /// `offset_minutes` ahead of UTC (negative west of it): what an expiry on this
    /// date means to the user.
    pub fn end_of_day_iso(self, offset_minutes: i64) -> String {
        let local = days_from_civil(self.year, self.month, self.day) * 86_400 + 86_399;
        iso_from_ms(((local - offset_minutes * 60) * 1000) as f64)
    }
}

impl std::fmt::Display for LocalDate {
    /// `YYYY-MM-DD`, as a date input takes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The ISO timestamp (UTC, milliseconds) of a moment.
pub fn iso_from_ms(ms: f64) -> String {
    let ms = ms.floor() as i64;
    let (year, month, day) = civil_from_days(ms.div_euclid(86_400_000));
    let of_day = ms.rem_euclid(86_400_000);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / 3_600_000,
        of_day % 3_600_000 / 60_000,
        of_day % 60_000 / 1000,
        of_day % 1000
    )
}

/// The calendar date of `date` in the user's time zone.
#[cfg(target_arch = "wasm32")]
fn local_date(date: &js_sys::Date) -> LocalDate {
    LocalDate {
        year: i64::from(date.get_full_year()),
        month: date.get_month() + 1,
        day: date.get_date(),
    }
}

/// Today in the user's time zone (UTC on the host).
pub fn today() -> LocalDate {
    #[cfg(target_arch = "wasm32")]
    {
        local_date(&js_sys::Date::new_0())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let (year, month, day) = civil_from_days((now_ms() / MS_PER_DAY).floor() as i64);
        LocalDate { year, month, day }
    }
}

/// How far the user's clock is ahead of UTC on `date`, in minutes (0 on the host).
pub fn utc_offset_minutes(date: LocalDate) -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        let noon = js_sys::Date::new_with_year_month_day_hr_min_sec(
            date.year as u32,
            date.month as i32 - 1,
            date.day as i32,
            12,
            0,
            0,
        );
        -(noon.get_timezone_offset() as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = date;
        0
    }
}

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
    fn calendar_dates_parse_add_and_end_in_utc() {
        let date = LocalDate::parse("2026-12-31").unwrap();
        assert_eq!(date.add_days(1).to_string(), "2027-01-01");
        assert_eq!(
            LocalDate::parse("2024-02-28").unwrap().add_days(1).to_string(),
            "2024-02-29"
        );
        for bad in [
            "",
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026-1-01",
            "soon",
            "2026-01-01x",
        ] {
            assert_eq!(LocalDate::parse(bad), None, "{bad}");
        }
        assert_eq!(date.end_of_day_iso(0), "2026-12-31T23:59:59.000Z");
        // East of UTC the day ends earlier in UTC, west of it later.
        assert_eq!(date.end_of_day_iso(600), "2026-12-31T13:59:59.000Z");
        assert_eq!(date.end_of_day_iso(-300), "2027-01-01T04:59:59.000Z");
        assert_eq!(date.end_of_day_iso(840), "2026-12-31T09:59:59.000Z");
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

    #[test]
    fn moments_are_written_as_iso_in_utc() {
        for iso in [
            "2026-11-25T16:40:05.123Z",
            "2027-02-23T00:00:00.000Z",
            "1999-12-31T23:59:59.999Z",
        ] {
            let ms = parse_iso_ms(iso).expect(iso);
            assert_eq!(iso_from_ms(ms), iso);
        }
    }

    #[test]
    fn a_date_is_labelled_as_it_is() {
        let date = LocalDate::parse("2027-02-23").unwrap();
        assert_eq!(date.label(), "23 Feb 2027");
        assert_eq!(LocalDate::parse("2026-12-01").unwrap().label(), "1 Dec 2026");
    }
}
