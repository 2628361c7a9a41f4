//! The installations list as a table: which rows show (filter by account and state), in
//! which order (any column, either way), what each row warns of, and the table's body as
//! markup with every value escaped. Plain logic, tested on the host.

use crate::api::installations::Installation;
use crate::ui::dates::{days_until, format_date, parse_iso_ms, relative_days};
use crate::ui::markup::{copy_button, escape, list};

/// Suspended for longer than this, a row is probably forgotten.
const STALE_SUSPENSION_DAYS: i64 = 30;

/// A column the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Id,
    Account,
    Repositories,
    InstalledBy,
    FluiUser,
    State,
    Created,
    Updated,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Id,
        Column::Account,
        Column::Repositories,
        Column::InstalledBy,
        Column::FluiUser,
        Column::State,
        Column::Created,
        Column::Updated,
    ];

    /// Its name in markup (`data-sort`, the header's id).
    pub fn key(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Account => "account",
            Column::Repositories => "repositories",
            Column::InstalledBy => "installed-by",
            Column::FluiUser => "flui-user",
            Column::State => "state",
            Column::Created => "created",
            Column::Updated => "updated",
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Id => "Installation ID",
            Column::Account => "Account",
            Column::Repositories => "Repositories",
            Column::InstalledBy => "Installed by",
            Column::FluiUser => "Flui user",
            Column::State => "State",
            Column::Created => "Created",
            Column::Updated => "Updated",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first, as Flui lists them.
    fn default() -> Self {
        Self {
            column: Column::Created,
            descending: true,
        }
    }
}

impl Sort {
    /// The order after choosing `column`: the other way round if it is the current one;
    /// dates newest first, text A to Z otherwise.
    pub fn toggled(self, column: Column) -> Self {
        if column == self.column {
            return Self {
                descending: !self.descending,
                ..self
            };
        }
        Self {
            column,
            descending: matches!(column, Column::Created | Column::Updated),
        }
    }

    /// `aria-sort` of `column`'s header.
    pub fn aria(self, column: Column) -> &'static str {
        match (column == self.column, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

/// Which rows show, by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StateFilter {
    #[default]
    All,
    Active,
    Suspended,
}

impl StateFilter {
    pub fn from_value(value: &str) -> Self {
        match value {
            "active" => Self::Active,
            "suspended" => Self::Suspended,
            _ => Self::All,
        }
    }

    fn admits(self, row: &Installation) -> bool {
        match self {
            Self::All => true,
            Self::Active => row.suspended_at.is_none(),
            Self::Suspended => row.suspended_at.is_some(),
        }
    }
}

/// The rows matching `account` (part of the account's name, any case) and `state`, in
/// `sort` order; ties keep Flui's order (newest first).
pub fn visible<'a>(
    rows: &'a [Installation],
    account: &str,
    state: StateFilter,
    sort: Sort,
) -> Vec<&'a Installation> {
    let needle = account.trim().to_ascii_lowercase();
    let last = rows.len() as u32;
    // Sorted as (key, position): the one sort the dashboard already has code for.
    let mut keys: Vec<(String, u32)> = (0..last)
        .zip(rows)
        .filter(|(_, row)| state.admits(row) && row.account.to_ascii_lowercase().contains(&needle))
        .map(|(i, row)| {
            let position = if sort.descending { last - i } else { i };
            (sort_key(row, sort.column), position)
        })
        .collect();
    keys.sort();
    if sort.descending {
        keys.reverse();
    }
    keys.into_iter()
        .filter_map(|(_, position)| {
            let i = if sort.descending {
                last - position
            } else {
                position
            };
            rows.get(i as usize)
        })
        .collect()
}

/// What `row` sorts by in `column`, as text that sorts in the right order.
fn sort_key(row: &Installation, column: Column) -> String {
    // Dates as zero-padded milliseconds; an unreadable one first.
    let date = |raw: &str| {
        parse_iso_ms(raw)
            .map(|ms| format!("{:020}", ms.max(0.0) as u64))
            .unwrap_or_default()
    };
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().to_ascii_lowercase();
    match column {
        // Ids are digits: padded, shorter is smaller.
        Column::Id => format!("{:0>24}", row.id.as_deref().unwrap_or_default()),
        Column::Account => row.account.to_ascii_lowercase(),
        Column::Repositories => row.repository_selection.clone(),
        Column::InstalledBy => text(&row.installed_by),
        Column::FluiUser => text(&row.user_id),
        // Active before suspended; suspended ones by when.
        Column::State => match &row.suspended_at {
            None => String::new(),
            Some(since) => format!("s{}", date(since)),
        },
        Column::Created => date(&row.created_at),
        Column::Updated => date(&row.updated_at),
    }
}

/// What may be wrong with `row`, among all `rows`, at `now_ms`.
pub fn hints(row: &Installation, rows: &[Installation], now_ms: f64) -> Vec<String> {
    let mut hints = Vec::new();
    if row.user_id.is_none() {
        hints.push("No Flui user is connected through this account yet.".to_owned());
    }
    let same_account = rows
        .iter()
        .filter(|other| !row.account.is_empty() && other.account == row.account)
        .count();
    if same_account > 1 {
        hints.push(format!(
            "{same_account} records are for this account: one is probably left over from an earlier install."
        ));
    }
    if let Some(since) = row.suspended_at.as_deref().and_then(parse_iso_ms) {
        let days = -days_until(since, now_ms);
        if days > STALE_SUSPENSION_DAYS {
            hints.push(format!(
                "Suspended for {days} days: uninstall it on GitHub, or remove this record."
            ));
        }
    }
    hints
}

/// Whether a row's `userId` is a Flui user's id (a UUID) rather than the GitHub login
/// that legacy rows hold.
fn is_flui_user_id(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Where installation `row` is uninstalled on GitHub: the account's or the
/// organisation's installation settings.
pub fn uninstall_url(github_url: &str, row: &Installation) -> Option<String> {
    let id = row.id.as_deref()?;
    Some(if row.organisation {
        format!(
            "{github_url}/organizations/{}/settings/installations/{id}",
            escape_path(&row.account)
        )
    } else {
        format!("{github_url}/settings/installations/{id}")
    })
}

/// A GitHub login in a URL path: only the characters GitHub allows in one pass.
fn escape_path(login: &str) -> String {
    login
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// "25 Nov 2026" over "3 days ago", with the instant in `datetime`.
fn date_cell(raw: &str, now_ms: f64) -> String {
    match parse_iso_ms(raw) {
        Some(ms) => format!(
            r#"<time datetime="{}">{}</time><br><span class="muted">{}</span>"#,
            escape(raw),
            format_date(ms),
            relative_days(days_until(ms, now_ms))
        ),
        None if raw.is_empty() => "<span class=\"muted\">Not recorded</span>".to_owned(),
        None => escape(raw),
    }
}

/// The table's header row: a button per column that sorts by it, the order said by
/// `aria-sort` (kept up to date by the page, so the focus stays on the button) and shown
/// by an arrow from the style sheet.
pub fn head_markup(sort: Sort) -> String {
    let mut out = String::from("<tr>");
    for column in Column::ALL {
        out.push_str(&format!(
            r#"<th scope="col" id="sort-{key}" aria-sort="{aria}"><button type="button" class="sort-button" data-sort="{key}">{label}</button></th>"#,
            key = column.key(),
            aria = sort.aria(column),
            label = column.label()
        ));
    }
    out.push_str(r#"<th scope="col"><span class="visually-hidden">Actions</span></th></tr>"#);
    out
}

/// What the confirmation before removing `row` says, with the link to uninstall it on
/// GitHub.
pub fn removal_markup(github_url: &str, row: &Installation) -> String {
    let link = uninstall_url(github_url, row)
        .map(|url| {
            format!(
                r#"<p><a href="{}" target="_blank" rel="noopener noreferrer">Uninstall on GitHub</a></p>"#,
                escape(&url)
            )
        })
        .unwrap_or_default();
    format!(
        r#"<p>Flui forgets its record of <strong>installation {} on {}</strong>.</p><p>This does not uninstall the App on GitHub: it stays installed there, and Flui records it again when GitHub next reports the installation (installed again, or its webhook redelivered). To be rid of it, uninstall it on GitHub first:</p>{link}"#,
        escape(row.id.as_deref().unwrap_or_default()),
        escape(&row.account)
    )
}

/// "3 installations", or "Showing 1 of 3 installations" and what to do when none shows.
pub fn count_markup(shown: usize, total: usize) -> String {
    if shown == total {
        let plural = if total == 1 { "" } else { "s" };
        return format!(r#"<p class="muted">{total} installation{plural}</p>"#);
    }
    let none = if shown == 0 {
        "<p>None matches these filters: clear the account or choose another state.</p>"
    } else {
        ""
    };
    format!(r#"<p class="muted">Showing {shown} of {total} installations</p>{none}"#)
}

/// The table's rows for `shown`; `rows` is every row (for the hints), `me` the signed-in
/// user's id.
pub fn body_markup(shown: &[&Installation], rows: &[Installation], me: Option<&str>, now_ms: f64) -> String {
    let mut out = String::new();
    for row in shown {
        let id = match &row.id {
            Some(id) => format!(
                r#"<code>{id}</code><br>{}"#,
                copy_button(id, &format!("installation ID {id}"))
            ),
            None => r#"<span class="muted">Unknown</span>"#.to_owned(),
        };
        let account = if row.account.is_empty() {
            r#"<span class="muted">Unknown account</span>"#.to_owned()
        } else {
            format!("<strong>{}</strong>", escape(&row.account))
        };
        let kind = if row.organisation { "Organisation" } else { "User" };
        let hints = list(&hints(row, rows, now_ms), "row-hints", "Worth a look");
        let repositories = match row.repository_selection.as_str() {
            "all" => "All".to_owned(),
            "selected" => "Selected".to_owned(),
            "" => r#"<span class="muted">Not recorded</span>"#.to_owned(),
            other => escape(other),
        };
        let installed_by = match &row.installed_by {
            Some(login) => format!("@{}", escape(login)),
            None => r#"<span class="muted">Unknown</span>"#.to_owned(),
        };
        let user = match row.user_id.as_deref() {
            None => r#"<span class="muted">Nobody</span>"#.to_owned(),
            Some(user) if Some(user) == me => {
                format!(r#"You <code class="muted" title="{0}">{0}</code>"#, escape(user))
            }
            Some(user) if is_flui_user_id(user) => format!(
                r#"<code title="{0}">{0}</code> {1}"#,
                escape(user),
                copy_button(user, "the Flui user ID")
            ),
            Some(login) => format!(
                r#"GitHub @{} <span class="muted">(older record: a GitHub login, not a Flui user)</span>"#,
                escape(login)
            ),
        };
        let state = match &row.suspended_at {
            None => r#"<span class="pill pill--success"><span class="pill__icon" aria-hidden="true">✓</span>Active</span>"#.to_owned(),
            Some(since) => {
                let when = parse_iso_ms(since)
                    .map(|ms| format!("since {}", format_date(ms)))
                    .unwrap_or_default();
                format!(
                    r#"<span class="pill pill--warning"><span class="pill__icon" aria-hidden="true">!</span>Suspended</span><br><span class="muted">{when}</span>"#
                )
            }
        };
        let remove = match &row.id {
            Some(id) => format!(
                r#"<button type="button" class="button button--small button--danger" data-remove="{id}" aria-label="Remove the record of installation {id} ({})">Remove…</button>"#,
                escape(&row.account)
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "<tr><td>{id}</td><td>{account}<br><span class=\"muted\">{kind}</span>{hints}</td><td>{repositories}</td><td>{installed_by}</td><td>{user}</td><td>{state}</td><td>{}</td><td>{}</td><td>{remove}</td></tr>",
            date_cell(&row.created_at, now_ms),
            date_cell(&row.updated_at, now_ms),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: f64 = 86_400_000.0;

    fn row(id: &str, account: &str, created: &str) -> Installation {
        Installation {
            id: Some(id.to_owned()),
            account: account.to_owned(),
            user_id: Some("0b6f5a64-1c1e-4d49-9d1c-2f0f3b8a9e11".to_owned()),
            repository_selection: "all".to_owned(),
            created_at: created.to_owned(),
            updated_at: created.to_owned(),
            ..Default::default()
        }
    }

    fn ids(rows: &[&Installation]) -> Vec<String> {
        rows.iter().map(|r| r.id.clone().unwrap_or_default()).collect()
    }

    #[test]
    fn rows_filter_by_account_and_state_and_sort_by_any_column() {
        let mut rows = vec![
            row("900", "acme", "2026-11-20T00:00:00Z"),
            row("12345678", "Uma-Dev", "2026-11-01T00:00:00Z"),
            row("4000", "uma-labs", "2026-11-10T00:00:00Z"),
        ];
        rows[2].suspended_at = Some("2026-11-12T00:00:00Z".into());
        let all = |sort| ids(&visible(&rows, "", StateFilter::All, sort));
        assert_eq!(all(Sort::default()), ["900", "4000", "12345678"]);
        let by_id = Sort::default().toggled(Column::Id);
        assert_eq!(all(by_id), ["900", "4000", "12345678"]);
        assert_eq!(all(by_id.toggled(Column::Id)), ["12345678", "4000", "900"]);
        assert_eq!(all(by_id.toggled(Column::Account)), ["900", "12345678", "4000"]);
        assert_eq!(all(by_id.toggled(Column::State)), ["900", "12345678", "4000"]);
        assert_eq!(
            ids(&visible(&rows, " UMA", StateFilter::All, by_id)),
            ["4000", "12345678"]
        );
        assert_eq!(
            ids(&visible(&rows, "uma", StateFilter::Active, by_id)),
            ["12345678"]
        );
        assert_eq!(ids(&visible(&rows, "", StateFilter::Suspended, by_id)), ["4000"]);
        assert!(visible(&rows, "nobody", StateFilter::All, by_id).is_empty());
        // Ties keep Flui's order, whichever way round.
        let by_selection = by_id.toggled(Column::Repositories);
        assert_eq!(all(by_selection), ["900", "12345678", "4000"]);
        assert_eq!(
            all(by_selection.toggled(Column::Repositories)),
            ["900", "12345678", "4000"]
        );
    }

    #[test]
    fn the_count_says_how_many_show() {
        assert_eq!(count_markup(1, 1), r#"<p class="muted">1 installation</p>"#);
        assert_eq!(count_markup(3, 3), r#"<p class="muted">3 installations</p>"#);
        assert_eq!(
            count_markup(2, 3),
            r#"<p class="muted">Showing 2 of 3 installations</p>"#
        );
        assert!(count_markup(0, 3).ends_with("clear the account or choose another state.</p>"));
    }

    #[test]
    fn sorting_toggles_and_says_so() {
        let sort = Sort::default();
        assert_eq!(sort.aria(Column::Created), "descending");
        assert_eq!(sort.aria(Column::Account), "none");
        let sort = sort.toggled(Column::Account);
        assert_eq!(
            (sort.aria(Column::Account), sort.aria(Column::Created)),
            ("ascending", "none")
        );
        assert_eq!(sort.toggled(Column::Account).aria(Column::Account), "descending");
        assert!(sort.toggled(Column::Updated).descending);
        assert_eq!(StateFilter::from_value("suspended"), StateFilter::Suspended);
        assert_eq!(StateFilter::from_value("anything"), StateFilter::All);
    }

    #[test]
    fn stale_rows_are_pointed_out() {
        let now = parse_iso_ms("2026-11-25T00:00:00Z").unwrap();
        let mut rows = vec![
            row("1", "acme", "2026-01-01T00:00:00Z"),
            row("2", "acme", "2026-02-01T00:00:00Z"),
            row("3", "uma-dev", "2026-03-01T00:00:00Z"),
            row("4", "olive", "2026-03-01T00:00:00Z"),
        ];
        rows[2].user_id = None;
        rows[3].suspended_at = Some("2026-10-01T00:00:00Z".into());
        assert!(hints(&rows[0], &rows, now)[0].starts_with("2 records are for this account"));
        assert!(hints(&rows[2], &rows, now)[0].starts_with("No Flui user is connected"));
        assert_eq!(
            hints(&rows[3], &rows, now),
            ["Suspended for 55 days: uninstall it on GitHub, or remove this record."]
        );
        rows[3].suspended_at = Some(crate::ui::dates::iso_from_ms(now - 29.0 * DAY));
        assert!(hints(&rows[3], &rows, now).is_empty());
    }

    #[test]
    fn uninstall_links_go_to_the_account_or_the_organisation() {
        let mut acme = row("42", "acme", "");
        assert_eq!(
            uninstall_url("https://github.com", &acme).as_deref(),
            Some("https://github.com/settings/installations/42")
        );
        acme.organisation = true;
        acme.account = "acme/../x".into();
        assert_eq!(
            uninstall_url("https://ghe.example", &acme).as_deref(),
            Some("https://ghe.example/organizations/acmex/settings/installations/42")
        );
        acme.id = None;
        assert_eq!(uninstall_url("https://github.com", &acme), None);
    }

    #[test]
    fn headers_sort_by_their_column_and_the_removal_says_what_it_does() {
        let head = head_markup(Sort::default());
        assert!(head.contains(r#"id="sort-created" aria-sort="descending"><button type="button" class="sort-button" data-sort="created">Created</button>"#), "{head}");
        for column in Column::ALL {
            assert_eq!(Column::from_key(column.key()), Some(column));
        }
        assert_eq!(Column::from_key("nope"), None);
        let mut row = row("42", "<acme>", "");
        row.organisation = true;
        let text = removal_markup("https://github.com", &row);
        assert!(
            text.contains("installation 42 on &lt;acme&gt;") && text.contains("does not uninstall"),
            "{text}"
        );
        assert!(
            text.contains(r#"href="https://github.com/organizations/acme/settings/installations/42""#),
            "{text}"
        );
    }

    #[test]
    fn every_value_is_escaped_and_every_kind_of_user_reads_right() {
        let now = parse_iso_ms("2026-11-25T00:00:00Z").unwrap();
        let mut rows = vec![row("7", "<img src=x onerror=alert(1)>", "2026-11-22T00:00:00Z")];
        rows[0].installed_by = Some("<b>x</b>".into());
        rows[0].repository_selection = "<i>".into();
        let body = body_markup(&[&rows[0]], &rows, None, now);
        assert!(
            !body.contains("<img") && !body.contains("<b>") && !body.contains("<i>"),
            "{body}"
        );
        assert!(
            body.contains("3 days ago") && body.contains("data-remove=\"7\""),
            "{body}"
        );
        let me = rows[0].user_id.clone();
        assert!(body_markup(&[&rows[0]], &rows, me.as_deref(), now).contains("You <code"));
        rows[0].user_id = Some("uma-dev".into());
        assert!(
            body_markup(&[&rows[0]], &rows, None, now)
                .contains("GitHub @uma-dev <span class=\"muted\">(older record")
        );
        rows[0].id = None;
        rows[0].created_at = String::new();
        let body = body_markup(&[&rows[0]], &rows, None, now);
        assert!(
            !body.contains("data-remove") && body.contains("Not recorded"),
            "{body}"
        );
    }
}
