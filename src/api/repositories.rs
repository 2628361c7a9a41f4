//! §6 of the contract: the user's repositories, the ones they may import, importing and
//! disconnecting. Every field is optional: a running Flui sends `null` where the DTO
//! says string (§10), and a missing field must not cost the whole list.

use miniserde::json::Value;

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::{Decode, Encode, FromWire, bigint_id, decode, decode_from_wire, encode};
use crate::encoding::percent_encode;

const REPOSITORIES: &str = "/repositories";
const AVAILABLE: &str = "/repositories/available";
const IMPORT: &str = "/repositories/import";

/// A connected repository (6a).
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct Repository {
    pub id: Option<String>,
    #[serde(rename = "repositoryName")]
    pub name: Option<String>,
    #[serde(rename = "repositoryFullName")]
    pub full_name: Option<String>,
    pub owner: Option<String>,
    #[serde(rename = "defaultBranch")]
    pub default_branch: Option<String>,
    #[serde(rename = "isPrivate")]
    pub is_private: Option<bool>,
    #[serde(rename = "htmlUrl")]
    pub html_url: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    #[serde(rename = "autoDeployEnabled")]
    pub auto_deploy_enabled: Option<bool>,
    #[serde(rename = "createdAt")]
    pub created_at: Option<String>,
}

/// A repository the user may import (6b).
#[derive(Clone, Debug, Decode)]
pub struct AvailableRepo {
    /// GitHub's id: a string in the contract, read whatever JSON type it comes as.
    id: Option<Value>,
    pub name: Option<String>,
    #[serde(rename = "fullName")]
    pub full_name: Option<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
    #[serde(rename = "defaultBranch")]
    pub default_branch: Option<String>,
    pub private: Option<bool>,
    #[serde(rename = "htmlUrl")]
    pub html_url: Option<String>,
    pub language: Option<String>,
    #[serde(rename = "updatedAt")]
    pub updated_at: Option<String>,
    #[serde(rename = "isImported")]
    pub is_imported: Option<bool>,
}

impl AvailableRepo {
    pub fn github_id(&self) -> Option<String> {
        bigint_id(&self.id)
    }
}

/// What became of one repository of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportStatus {
    Imported,
    AlreadyImported,
    Other,
}

impl FromWire for ImportStatus {
    fn from_wire(text: &str) -> Self {
        match text {
            "imported" => Self::Imported,
            "already_imported" => Self::AlreadyImported,
            _ => Self::Other,
        }
    }
}

decode_from_wire!(ImportStatus);

#[derive(Clone, Debug, PartialEq, Decode)]
pub struct ImportedRow {
    pub id: Option<String>,
    #[serde(rename = "fullName")]
    pub full_name: Option<String>,
    pub status: Option<ImportStatus>,
}

/// `POST /repositories/import`: 201 even when some failed (`errors`).
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct ImportResult {
    pub imported: Option<u32>,
    pub skipped: Option<u32>,
    pub failed: Option<u32>,
    pub repositories: Option<Vec<ImportedRow>>,
    pub errors: Option<Vec<String>>,
}

#[derive(Encode)]
struct ImportRequest {
    #[serde(rename = "repositoryIds")]
    repository_ids: Vec<String>,
    #[serde(rename = "autoDeployEnabled")]
    auto_deploy_enabled: bool,
}

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(text: &str) -> String {
    percent_encode(text, false)
}

impl Api {
    /// The caller's repositories, with Flui's JSON for them as it was sent (what
    /// `flui repo list -o json` prints).
    pub async fn repositories(&self) -> Result<(Vec<Repository>, String), ApiError> {
        let json = self.call_text(Method::Get, REPOSITORIES, None).await?;
        Ok((decode(&json)?, json))
    }

    pub async fn available_repositories(&self) -> Result<Vec<AvailableRepo>, ApiError> {
        self.call(Method::Get, AVAILABLE, None).await
    }

    /// Imports `full_names` (`owner/repo` each).
    pub async fn import_repositories(
        &self,
        full_names: Vec<String>,
        auto_deploy: bool,
    ) -> Result<ImportResult, ApiError> {
        let body = encode(&ImportRequest {
            repository_ids: full_names,
            auto_deploy_enabled: auto_deploy,
        });
        self.call(Method::Post, IMPORT, Some(body)).await
    }

    /// Flui forgets the repository (GitHub keeps it).
    pub async fn disconnect_repository(&self, id: &str) -> Result<(), ApiError> {
        self.call_empty(Method::Delete, &format!("{REPOSITORIES}/{}", segment(id)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_flui_repository_with_nulls_decodes() {
        let list: Vec<Repository> = crate::api::decode(
            r#"[{"id":"6f1c","provider":"github","repositoryName":"api","repositoryFullName":"acme/api","owner":"acme","defaultBranch":"main","isPrivate":true,"cloneUrl":"x","htmlUrl":"https://github.com/acme/api","description":null,"language":null,"webhookActive":false,"autoDeployEnabled":false,"createdAt":"2026-11-25T10:00:00.000Z"}]"#,
        )
        .unwrap();
        assert_eq!(list[0].description, None);
        assert_eq!(list[0].full_name.as_deref(), Some("acme/api"));
    }

    #[test]
    fn available_ids_come_as_strings_or_numbers_and_fields_may_be_missing() {
        let list: Vec<AvailableRepo> =
            crate::api::decode(r#"[{"id":"501","fullName":"a/b"},{"id":502,"description":null},{}]"#)
                .unwrap();
        let ids: Vec<_> = list.iter().map(AvailableRepo::github_id).collect();
        assert_eq!(ids, [Some("501".into()), Some("502".into()), None]);
    }

    #[test]
    fn a_partial_import_decodes() {
        let r: ImportResult = crate::api::decode(
            r#"{"imported":1,"skipped":1,"failed":1,"repositories":[{"id":"u1","fullName":"a/b","status":"imported"},{"id":"u2","fullName":"a/c","status":"already_imported"}],"importedRepositoryIds":["u1"],"errors":["Failed to import repository x/y: nope"]}"#,
        )
        .unwrap();
        let statuses: Vec<_> = r
            .repositories
            .unwrap()
            .into_iter()
            .map(|row| row.status)
            .collect();
        assert_eq!(
            statuses,
            [Some(ImportStatus::Imported), Some(ImportStatus::AlreadyImported)]
        );
        assert_eq!(r.errors.unwrap().len(), 1);
    }

    #[test]
    fn ids_are_sent_as_one_path_segment() {
        assert_eq!(segment("6f1c-aa"), "6f1c-aa");
        assert_eq!(segment("../x?y"), "..%2Fx%3Fy");
    }
}
