//! §2 of the contract: the GitHub App installations Flui knows of.

use miniserde::json::Value;

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::{Decode, bigint_id, decode};

const INSTALLATIONS: &str = "/repositories/github-app/installations";
const RESCAN: &str = "/repositories/github-app/rescan-installations";

/// `POST /repositories/github-app/rescan-installations`.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct RescanResponse {
    pub count: u32,
}

/// One row of `GET /repositories/github-app/installations`, as it comes: every field the
/// dashboard can do without is optional, so one odd row does not hide the list.
#[derive(Decode)]
struct Row {
    #[serde(rename = "installationId")]
    installation_id: Option<Value>,
    #[serde(rename = "accountLogin")]
    account_login: Option<String>,
    #[serde(rename = "accountType")]
    account_type: Option<String>,
    #[serde(rename = "userId")]
    user_id: Option<String>,
    #[serde(rename = "installedByLogin")]
    installed_by_login: Option<String>,
    #[serde(rename = "repositorySelection")]
    repository_selection: Option<String>,
    #[serde(rename = "suspendedAt")]
    suspended_at: Option<String>,
    #[serde(rename = "createdAt")]
    created_at: Option<String>,
    #[serde(rename = "updatedAt")]
    updated_at: Option<String>,
}

/// An installation of the GitHub App that Flui keeps a record of.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Installation {
    /// GitHub's installation id, in digits whether it came as a JSON number or a string;
    /// `None` when it came as neither (such a row cannot be removed from here).
    pub id: Option<String>,
    /// The account it is installed on (Flui stores it lower-cased).
    pub account: String,
    pub organisation: bool,
    /// The Flui user the row is attributed to; on legacy rows, a GitHub login.
    pub user_id: Option<String>,
    /// The GitHub user who installed it; the older API does not say.
    pub installed_by: Option<String>,
    /// `all`, `selected`, or whatever else Flui sent.
    pub repository_selection: String,
    pub suspended_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Row> for Installation {
    fn from(row: Row) -> Self {
        let text = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Self {
            id: bigint_id(&row.installation_id).filter(|id| id.bytes().all(|b| b.is_ascii_digit())),
            account: text(row.account_login).unwrap_or_default(),
            organisation: row.account_type.as_deref() == Some("Organization"),
            user_id: text(row.user_id),
            installed_by: text(row.installed_by_login),
            repository_selection: text(row.repository_selection).unwrap_or_default(),
            suspended_at: text(row.suspended_at),
            created_at: row.created_at.unwrap_or_default(),
            updated_at: row.updated_at.unwrap_or_default(),
        }
    }
}

/// Reads the list's body. A row with neither an id nor an account is nothing the contract
/// describes: a list of nothing but such rows is an answer the dashboard does not
/// understand (one such row among good ones is shown, as any odd row is).
pub fn decode_installations(text: &str) -> Result<Vec<Installation>, ApiError> {
    let rows: Vec<Row> = decode(text)?;
    let installations: Vec<Installation> = rows.into_iter().map(Installation::from).collect();
    if !installations.is_empty()
        && installations
            .iter()
            .all(|i| i.id.is_none() && i.account.is_empty())
    {
        return Err(ApiError::Decode(
            "the installations list holds no installation id or account".into(),
        ));
    }
    Ok(installations)
}

impl Api {
    /// Every installation Flui knows of, newest first (admins only).
    pub async fn installations(&self) -> Result<Vec<Installation>, ApiError> {
        let text = self.call_text(Method::Get, INSTALLATIONS, None).await?;
        decode_installations(&text)
    }

    /// Forgets Flui's record of installation `id` (digits); the App stays installed on
    /// GitHub.
    pub async fn remove_installation(&self, id: &str) -> Result<(), ApiError> {
        self.call_empty(Method::Delete, &format!("{INSTALLATIONS}/{id}"))
            .await
    }

    /// Asks Flui to look for the caller's installations now, with their GitHub token
    /// (after an organisation owner approved an install, say).
    pub async fn rescan_installations(&self) -> Result<RescanResponse, ApiError> {
        self.call(Method::Post, RESCAN, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_as_numbers_or_strings_and_odd_rows_still_read() {
        let rows = decode_installations(
            r#"[
              {"id":"u1","installationId":"12345678","accountLogin":"acme","accountType":"Organization",
               "userId":"7f1c","installedByLogin":"olive-owner","repositorySelection":"selected",
               "suspendedAt":null,"createdAt":"2026-11-01T10:00:00.000Z","updatedAt":"2026-11-02T10:00:00.000Z"},
              {"installationId":87654321,"accountLogin":"uma-dev","accountType":"User","userId":"uma-dev",
               "repositorySelection":"all","suspendedAt":"2026-10-01T00:00:00Z","createdAt":"x","updatedAt":"y"},
              {"installationId":"12; DROP","accountLogin":"  ","userId":""},
              {"installationId":{"n":1}}
            ]"#,
        )
        .unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].id.as_deref(), Some("12345678"));
        assert!(rows[0].organisation);
        assert_eq!(rows[0].installed_by.as_deref(), Some("olive-owner"));
        assert_eq!(rows[1].id.as_deref(), Some("87654321"));
        assert!(!rows[1].organisation);
        // The older API sends no installedByLogin at all.
        assert_eq!(rows[1].installed_by, None);
        assert_eq!(rows[1].suspended_at.as_deref(), Some("2026-10-01T00:00:00Z"));
        // Not digits: shown, never sent back in a path.
        assert_eq!(rows[2].id, None);
        assert_eq!((rows[2].account.as_str(), rows[2].user_id.as_deref()), ("", None));
        assert_eq!(rows[3].id, None);
        assert!(decode_installations(r#"{"installations":[]}"#).is_err());
    }

    #[test]
    fn a_list_of_rows_that_are_no_installations_is_not_understood() {
        let garbage = r#"[{"id":{},"name":[],"fullName":7,"connected":"yes"}]"#;
        assert!(matches!(decode_installations(garbage), Err(ApiError::Decode(_))));
        assert_eq!(decode_installations("[]"), Ok(Vec::new()));
        // One odd row among good ones is still shown.
        let mixed = r#"[{"installationId":"42","accountLogin":"acme"},{"what":1}]"#;
        assert_eq!(decode_installations(mixed).map(|l| l.len()), Ok(2));
    }
}
