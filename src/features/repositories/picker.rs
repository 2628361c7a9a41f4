//! The picker's plain logic, on the host: the list prepared once (lower-cased haystacks),
//! search ranked, filters and sort, the view kept in the URL, the CLI's `owner/repo` rule,
//! the window of rows to render, and an import's outcome in words.

use crate::api::repositories::{AvailableRepo, ImportResult, ImportStatus};

/// One repository of the picker, prepared once when the list arrives.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub full_name: String,
    pub owner: String,
    pub description: String,
    pub language: String,
    pub private: bool,
    pub imported: bool,
    pub updated_at: String,
    name_lc: String,
    full_lc: String,
    owner_lc: String,
    /// Name, owner, description and language, lower-cased, for search.
    haystack: String,
}

/// ASCII lower case: GitHub names are ASCII, and full Unicode case tables cost the wasm
/// kilobytes (see the README's size section).
fn lower(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// The picker's list, prepared once: the rows in name order, and their order by last update.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Repos {
    pub rows: Vec<Row>,
    /// Indices into `rows`, most recently updated first.
    recent: Vec<u32>,
}

/// Prepares the list: rows without a usable `owner/repo` name are left out (nothing can
/// be imported without one). Sorting happens here, once; a search only filters.
pub fn prepare(list: Vec<AvailableRepo>) -> Repos {
    let rows: Vec<Row> = list
        .into_iter()
        .filter_map(|repo| {
            let full_name = repo.full_name.filter(|n| valid_full_name(n))?;
            let (owner_part, name_part) = full_name.split_once('/')?;
            let name = repo
                .name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| name_part.to_owned());
            let owner = repo
                .owner
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| owner_part.to_owned());
            let description = repo.description.unwrap_or_default();
            let language = repo.language.unwrap_or_default();
            let haystack = lower(&format!("{name}\n{owner}\n{description}\n{language}"));
            Some(Row {
                name_lc: lower(&name),
                full_lc: lower(&full_name),
                owner_lc: lower(&owner),
                updated_at: repo.updated_at.unwrap_or_default(),
                full_name,
                owner,
                description,
                language,
                private: repo.private.unwrap_or(false),
                imported: repo.is_imported.unwrap_or(false),
                haystack,
            })
        })
        .collect();
    let mut keyed: Vec<(String, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("{}\n{}", r.name_lc, r.owner_lc), i as u32))
        .collect();
    keyed.sort();
    let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    let rows: Vec<Row> = keyed
        .iter()
        .filter_map(|(_, i)| slots.get_mut(*i as usize).and_then(Option::take))
        .collect();
    // ISO 8601 times in one format sort as text.
    let mut keyed: Vec<(String, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.updated_at.clone(), i as u32))
        .collect();
    keyed.sort();
    Repos {
        recent: keyed.into_iter().rev().map(|(_, i)| i).collect(),
        rows,
    }
}

/// The CLI's rule for a repository name: `^[^/]+/[^/]+$`.
pub fn valid_full_name(text: &str) -> bool {
    matches!(text.split_once('/'), Some((owner, repo)) if !owner.is_empty() && !repo.is_empty() && !repo.contains('/'))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Visibility {
    #[default]
    All,
    Public,
    Private,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Updated,
}

/// What the picker shows: search, filters and sort, as kept in the URL.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct View {
    pub search: String,
    /// An owner's login, or every owner.
    pub owner: Option<String>,
    pub visibility: Visibility,
    pub sort: Sort,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Public => "public",
            Self::Private => "private",
        }
    }

    /// Any other text is every repository.
    pub fn from_param(text: &str) -> Self {
        match text {
            "public" => Self::Public,
            "private" => Self::Private,
            _ => Self::All,
        }
    }
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Updated => "updated",
        }
    }

    /// Any other text is by name.
    pub fn from_param(text: &str) -> Self {
        match text {
            "updated" => Self::Updated,
            _ => Self::Name,
        }
    }
}

impl View {
    /// Reads `q`, `owner`, `visibility` and `sort`; unknown values mean the default.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            search: get("q").unwrap_or_default(),
            owner: get("owner").filter(|o| !o.is_empty()),
            visibility: Visibility::from_param(&get("visibility").unwrap_or_default()),
            sort: Sort::from_param(&get("sort").unwrap_or_default()),
        }
    }

    /// The query parameters that differ from the default, to put in the URL.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.search.is_empty() {
            out.push(("q", self.search.clone()));
        }
        if let Some(owner) = &self.owner {
            out.push(("owner", owner.clone()));
        }
        if self.visibility != Visibility::All {
            out.push(("visibility", self.visibility.as_str().into()));
        }
        if self.sort != Sort::Name {
            out.push(("sort", self.sort.as_str().into()));
        }
        out
    }
}

/// How well a row matches the search: lower is better; `None` is no match.
fn rank(row: &Row, needle: &str) -> Option<u8> {
    if needle.is_empty() {
        return Some(0);
    }
    if row.name_lc == needle || row.full_lc == needle {
        Some(0)
    } else if row.name_lc.starts_with(needle) {
        Some(1)
    } else if row.name_lc.contains(needle) {
        Some(2)
    } else if row.owner_lc.starts_with(needle) || row.full_lc.contains(needle) {
        Some(3)
    } else if row.haystack.contains(needle) {
        Some(4)
    } else {
        None
    }
}

/// The rows the view shows, as indices into `repos.rows`: matches of the search ranked
/// (exact and prefix matches of the name first), each rank in the chosen order. No sort:
/// the orders were made once by [`prepare`].
pub fn visible(repos: &Repos, view: &View) -> Vec<u32> {
    let needle = lower(view.search.trim());
    let owner = view.owner.as_deref().map(lower);
    let mut ranked: [Vec<u32>; 5] = Default::default();
    let mut consider = |i: u32| {
        let Some(row) = repos.rows.get(i as usize) else {
            return;
        };
        let shown = owner.as_deref().is_none_or(|o| row.owner_lc == o)
            && match view.visibility {
                Visibility::All => true,
                Visibility::Public => !row.private,
                Visibility::Private => row.private,
            };
        if let Some(bucket) = shown
            .then(|| rank(row, &needle))
            .flatten()
            .and_then(|r| ranked.get_mut(usize::from(r)))
        {
            bucket.push(i);
        }
    };
    match view.sort {
        Sort::Name => (0..repos.rows.len() as u32).for_each(&mut consider),
        Sort::Updated => repos.recent.iter().for_each(|i| consider(*i)),
    }
    ranked.concat()
}

/// Each owner with how many repositories it has in the list, by name.
pub fn owners(rows: &[Row]) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for row in rows {
        match out.iter_mut().find(|(o, _)| o.eq_ignore_ascii_case(&row.owner)) {
            Some((_, n)) => *n += 1,
            None => out.push((row.owner.clone(), 1)),
        }
    }
    // By name whatever the case, through the one sort the picker already uses.
    let mut keyed: Vec<(String, u32)> = out
        .iter()
        .enumerate()
        .map(|(i, (o, _))| (lower(o), i as u32))
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, i)| out[i as usize].clone()).collect()
}

/// The rows to render for a list scrolled to `scroll_top`: those in view plus `extra`
/// on each side, as `start..end`.
pub fn window(scroll_top: f64, viewport: f64, row_height: f64, total: usize, extra: usize) -> (usize, usize) {
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let shown = (viewport.max(0.0) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(extra).min(total);
    let end = (first + shown + extra).min(total);
    (start, end)
}

/// Why a repository named in the URL or the search is not in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// Not `owner/repo` at all.
    Malformed,
    /// Well formed, but GitHub does not show it to the App (or it is beyond the first 100).
    NotVisible { owner: String },
}

/// Whether `name` (trimmed) needs explaining: `None` when it is in the list.
pub fn missing(rows: &[Row], name: &str) -> Option<Missing> {
    let name = name.trim();
    if !valid_full_name(name) {
        return Some(Missing::Malformed);
    }
    if rows.iter().any(|r| r.full_name.eq_ignore_ascii_case(name)) {
        return None;
    }
    let owner = name.split('/').next().unwrap_or_default().to_owned();
    Some(Missing::NotVisible { owner })
}

/// What became of one repository of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Imported,
    AlreadyConnected,
    /// The App is not installed on this owner: install it there.
    NotInstalled {
        owner: String,
    },
    /// Flui's reason, as it gave it.
    Failed(String),
}

/// Each requested repository with its outcome, in the order asked, and the summary line.
/// A partial result is neither a success nor a failure: the summary counts each kind.
pub fn outcomes(requested: &[String], result: &ImportResult) -> (Vec<(String, Outcome)>, String) {
    let rows = result.repositories.clone().unwrap_or_default();
    let errors = result.errors.clone().unwrap_or_default();
    let failure = |name: &str| {
        errors.iter().find_map(|e| {
            let rest = e.strip_prefix("Failed to import repository ")?;
            let (who, reason) = rest.split_once(": ")?;
            who.eq_ignore_ascii_case(name).then(|| reason.to_owned())
        })
    };
    let list: Vec<(String, Outcome)> = requested
        .iter()
        .map(|name| {
            let row = rows.iter().find(|r| {
                r.full_name
                    .as_deref()
                    .is_some_and(|f| f.eq_ignore_ascii_case(name))
            });
            let outcome = match (row.and_then(|r| r.status.clone()), failure(name)) {
                (Some(ImportStatus::Imported), _) => Outcome::Imported,
                (Some(ImportStatus::AlreadyImported), _) => Outcome::AlreadyConnected,
                (_, Some(reason)) if reason.starts_with("GitHub App is not installed for account") => {
                    Outcome::NotInstalled {
                        owner: name.split('/').next().unwrap_or_default().to_owned(),
                    }
                }
                (_, Some(reason)) => Outcome::Failed(reason),
                (_, None) => Outcome::Failed("Flui did not report on this repository.".into()),
            };
            (name.clone(), outcome)
        })
        .collect();
    let count = |f: fn(&Outcome) -> bool| list.iter().filter(|(_, o)| f(o)).count();
    let imported = count(|o| *o == Outcome::Imported);
    let already = count(|o| *o == Outcome::AlreadyConnected);
    let failed = list.len() - imported - already;
    let mut parts = Vec::new();
    if imported > 0 {
        parts.push(format!("{imported} connected"));
    }
    if already > 0 {
        parts.push(format!("{already} already connected"));
    }
    if failed > 0 {
        parts.push(format!("{failed} not connected"));
    }
    (list, format!("{}.", parts.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(full: &str, description: &str, language: &str, private: bool, updated: &str) -> AvailableRepo {
        let json = format!(
            r#"{{"id":"1","name":"{}","fullName":"{full}","owner":"{}","description":"{description}","language":"{language}","private":{private},"updatedAt":"{updated}","isImported":false}}"#,
            full.split('/').nth(1).unwrap_or_default(),
            full.split('/').next().unwrap_or_default(),
        );
        crate::api::decode(&json).unwrap()
    }

    fn sample() -> Repos {
        prepare(vec![
            repo(
                "acme/api-gateway",
                "Routes requests",
                "Go",
                false,
                "2026-11-01T00:00:00Z",
            ),
            repo(
                "acme/api",
                "HTTP API of the shop",
                "Rust",
                true,
                "2026-10-01T00:00:00Z",
            ),
            repo(
                "uma/web",
                "Uses the api",
                "TypeScript",
                false,
                "2026-11-20T00:00:00Z",
            ),
            repo("uma/rapid", "", "", true, "2026-09-01T00:00:00Z"),
            repo("Apiary/hive", "Bees", "", false, "2026-08-01T00:00:00Z"),
        ])
    }

    fn names(repos: &Repos, view: &View) -> Vec<String> {
        visible(repos, view)
            .into_iter()
            .map(|i| repos.rows[i as usize].full_name.clone())
            .collect()
    }

    #[test]
    fn exact_and_prefix_matches_of_the_name_come_first() {
        let rows = sample();
        let view = View {
            search: "API".into(),
            ..View::default()
        };
        assert_eq!(
            names(&rows, &view),
            [
                "acme/api",
                "acme/api-gateway",
                "uma/rapid",
                "Apiary/hive",
                "uma/web"
            ]
        );
    }

    #[test]
    fn filters_and_sort_combine() {
        let rows = sample();
        let view = View {
            owner: Some("uma".into()),
            visibility: Visibility::Public,
            ..View::default()
        };
        assert_eq!(names(&rows, &view), ["uma/web"]);
        let view = View {
            sort: Sort::Updated,
            ..View::default()
        };
        assert_eq!(names(&rows, &view)[0], "uma/web");
        assert_eq!(
            names(
                &rows,
                &View {
                    search: "bees".into(),
                    ..View::default()
                }
            ),
            ["Apiary/hive"]
        );
        assert!(
            names(
                &rows,
                &View {
                    search: "zzz".into(),
                    ..View::default()
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn the_view_round_trips_through_the_url() {
        let view = View {
            search: "a b".into(),
            owner: Some("acme".into()),
            visibility: Visibility::Private,
            sort: Sort::Updated,
        };
        let pairs = view.to_query();
        let back = View::from_query(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone()));
        assert_eq!(back, view);
        assert!(View::default().to_query().is_empty());
        assert_eq!(View::from_query(|_| Some("bogus".into())).sort, Sort::Name);
    }

    #[test]
    fn owners_are_counted_once_each() {
        assert_eq!(
            owners(&sample().rows),
            [("acme".into(), 2), ("Apiary".into(), 1), ("uma".into(), 2)]
        );
    }

    #[test]
    fn the_window_covers_the_view_and_stays_in_bounds() {
        assert_eq!(window(0.0, 480.0, 60.0, 10_000, 4), (0, 13));
        assert_eq!(window(6000.0, 480.0, 60.0, 10_000, 4), (96, 113));
        assert_eq!(window(1e9, 480.0, 60.0, 50, 4), (50, 50));
        assert_eq!(window(-5.0, 0.0, 60.0, 3, 4), (0, 3));
    }

    #[test]
    fn the_cli_rule_and_missing_repositories() {
        let rows = sample().rows;
        assert!(valid_full_name("a/b"));
        for bad in ["a", "/b", "a/", "a/b/c", ""] {
            assert!(!valid_full_name(bad), "{bad}");
        }
        assert_eq!(missing(&rows, " acme/API "), None);
        assert_eq!(missing(&rows, "acme"), Some(Missing::Malformed));
        assert_eq!(
            missing(&rows, "other/thing"),
            Some(Missing::NotVisible {
                owner: "other".into()
            })
        );
    }

    #[test]
    fn a_partial_import_is_told_per_repository() {
        let result: ImportResult = crate::api::decode(
            r#"{"imported":1,"skipped":1,"failed":2,"repositories":[{"id":"u1","fullName":"uma/web","status":"imported"},{"id":"u2","fullName":"acme/api","status":"already_imported"}],"errors":["Failed to import repository other/x: GitHub App is not installed for account \"other\". Please install the app at https://github.com/apps/flui/installations/new","Failed to import repository uma/gone: Repository not found"]}"#,
        )
        .unwrap();
        let asked: Vec<String> = ["uma/web", "acme/api", "other/x", "uma/gone"]
            .map(String::from)
            .to_vec();
        let (list, summary) = outcomes(&asked, &result);
        assert_eq!(
            list.into_iter().map(|(_, o)| o).collect::<Vec<_>>(),
            [
                Outcome::Imported,
                Outcome::AlreadyConnected,
                Outcome::NotInstalled {
                    owner: "other".into()
                },
                Outcome::Failed("Repository not found".into())
            ]
        );
        assert_eq!(summary, "1 connected, 1 already connected, 2 not connected.");
    }

    #[test]
    fn rows_without_a_usable_name_are_left_out_and_nulls_read_as_empty() {
        let list: Vec<AvailableRepo> = crate::api::decode(
            r#"[{"fullName":"a/b","description":null,"language":null},{"fullName":"nope"},{}]"#,
        )
        .unwrap();
        let rows = prepare(list).rows;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].description, "");
        // The name is taken from `fullName` when missing: an exact match of it.
        assert_eq!(rank(&rows[0], "b"), Some(0));
    }
}
