//! The calls Flui makes to GitHub, over HTTP, as Flui does: the OAuth code exchange on
//! the web origin, the REST API under `<github>/api/v3`.

use serde::Deserialize;
use serde_json::Value;

pub struct GithubClient {
    web: String,
    http: reqwest::Client,
}

#[derive(Debug, Deserialize)]
pub struct GhUser {
    pub login: String,
}

#[derive(Debug, Deserialize)]
pub struct GhAccount {
    pub login: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Deserialize)]
pub struct GhInstallation {
    pub id: i64,
    pub account: GhAccount,
    pub repository_selection: String,
    pub suspended_at: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GhInstallations {
    installations: Vec<GhInstallation>,
}

/// A repository as GitHub's REST API describes it.
#[derive(Clone, Debug, Deserialize)]
pub struct GhRepo {
    pub id: i64,
    pub name: String,
    pub full_name: String,
    pub owner: GhOwner,
    pub description: Option<String>,
    pub private: bool,
    pub language: Option<String>,
    pub default_branch: String,
    pub updated_at: String,
    pub html_url: String,
    pub clone_url: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct GhOwner {
    pub login: String,
}

#[derive(Debug, Deserialize)]
struct GhInstallationRepos {
    repositories: Vec<GhRepo>,
}

#[derive(Debug, Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// A failed call: GitHub's own words when it gave any, and its status when it answered.
#[derive(Debug)]
pub struct GhError(pub String);

/// `GET /user` with a personal access token: who it is, and the scopes GitHub lists in
/// `x-oauth-scopes` (none for a fine-grained token, which has permissions instead).
pub struct TokenOwner {
    pub login: String,
    pub id: i64,
    pub scopes: Option<Vec<String>>,
}

/// Why a token was refused.
pub enum TokenRefused {
    /// GitHub answered 401 (or 403): its message, e.g. "Bad credentials".
    Rejected(String),
    /// GitHub did not answer.
    Unreachable(String),
}

impl GithubClient {
    pub fn new(web: &str) -> Self {
        Self {
            web: web.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// Exchanges an OAuth code for a user-to-server token.
    pub async fn exchange_code(
        &self,
        client_id: &str,
        client_secret: &str,
        code: &str,
    ) -> Result<String, GhError> {
        let answer: TokenAnswer = self
            .http
            .post(format!("{}/login/oauth/access_token", self.web))
            .header("Accept", "application/json")
            .form(&[
                ("client_id", client_id),
                ("client_secret", client_secret),
                ("code", code),
            ])
            .send()
            .await
            .map_err(|e| GhError(format!("GitHub could not be reached: {e}")))?
            .json()
            .await
            .map_err(|e| GhError(format!("GitHub sent an unexpected answer: {e}")))?;
        match answer {
            TokenAnswer {
                access_token: Some(token),
                ..
            } => Ok(token),
            TokenAnswer {
                error_description: Some(d),
                ..
            } => Err(GhError(d)),
            TokenAnswer { error: Some(e), .. } => Err(GhError(e)),
            _ => Err(GhError("GitHub returned no token".into())),
        }
    }

    async fn get<T: for<'de> Deserialize<'de>>(&self, token: &str, path: &str) -> Result<T, GhError> {
        let response = self
            .http
            .get(format!("{}/api/v3{path}", self.web))
            .bearer_auth(token)
            .header("Accept", "application/vnd.github+json")
            .send()
            .await
            .map_err(|e| GhError(format!("GitHub could not be reached: {e}")))?;
        if !response.status().is_success() {
            let status = response.status();
            let body: Value = response.json().await.unwrap_or_default();
            let message = body
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("request failed");
            return Err(GhError(format!("{message} ({status})")));
        }
        response
            .json()
            .await
            .map_err(|e| GhError(format!("GitHub sent an unexpected answer: {e}")))
    }

    pub async fn user(&self, token: &str) -> Result<GhUser, GhError> {
        self.get(token, "/user").await
    }

    /// Checks a personal access token against GitHub's `GET /user`.
    pub async fn token_owner(&self, token: &str) -> Result<TokenOwner, TokenRefused> {
        #[derive(Deserialize)]
        struct Owner {
            login: String,
            id: i64,
        }
        let response = self
            .http
            .get(format!("{}/api/v3/user", self.web))
            .bearer_auth(token)
            .header("Accept", "application/vnd.github+json")
            .send()
            .await
            .map_err(|e| TokenRefused::Unreachable(e.to_string()))?;
        let scopes = response
            .headers()
            .get("x-oauth-scopes")
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            });
        if !response.status().is_success() {
            let body: Value = response.json().await.unwrap_or_default();
            let message = body
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("Bad credentials");
            return Err(TokenRefused::Rejected(message.to_owned()));
        }
        let owner: Owner = response
            .json()
            .await
            .map_err(|e| TokenRefused::Unreachable(e.to_string()))?;
        Ok(TokenOwner {
            login: owner.login,
            id: owner.id,
            scopes,
        })
    }

    pub async fn installations(&self, token: &str) -> Result<Vec<GhInstallation>, GhError> {
        Ok(self
            .get::<GhInstallations>(token, "/user/installations?per_page=100")
            .await?
            .installations)
    }

    /// The repositories of installation `id` the user's token reaches, 100 a page: the
    /// first page only unless `every_page` (Flui reads only the first).
    pub async fn installation_repos(
        &self,
        token: &str,
        id: i64,
        every_page: bool,
    ) -> Result<Vec<GhRepo>, GhError> {
        self.pages(every_page, |page| {
            let path = format!("/user/installations/{id}/repositories?per_page=100&page={page}");
            async move { Ok(self.get::<GhInstallationRepos>(token, &path).await?.repositories) }
        })
        .await
    }

    /// The token user's repositories (visibility all, most recently updated first), as
    /// Flui lists them in PAT mode: the first 100 unless `every_page`.
    pub async fn user_repos(&self, token: &str, every_page: bool) -> Result<Vec<GhRepo>, GhError> {
        self.pages(every_page, |page| {
            let path = format!("/user/repos?visibility=all&sort=updated&per_page=100&page={page}");
            async move { self.get::<Vec<GhRepo>>(token, &path).await }
        })
        .await
    }

    async fn pages<F, Fut>(&self, every_page: bool, fetch: F) -> Result<Vec<GhRepo>, GhError>
    where
        F: Fn(usize) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<GhRepo>, GhError>>,
    {
        let mut all = Vec::new();
        for page in 1.. {
            let batch = fetch(page).await?;
            let last = batch.len() < 100;
            all.extend(batch);
            if last || !every_page {
                break;
            }
        }
        Ok(all)
    }

    /// `GET /app` with the App's JWT: whether GitHub accepts it as that App.
    pub async fn check_app(&self, jwt: &str) -> Result<(), GhError> {
        self.get::<Value>(jwt, "/app").await.map(|_| ())
    }

    /// `POST /app-manifests/<code>/conversions`: a new App's credentials, once.
    pub async fn convert_manifest(&self, code: &str) -> Result<GhManifestConversion, GhError> {
        let response = self
            .http
            .post(format!(
                "{}/api/v3/app-manifests/{}/conversions",
                self.web,
                crate::util::url_encode(code)
            ))
            .header("Accept", "application/vnd.github+json")
            .send()
            .await
            .map_err(|e| GhError(format!("GitHub could not be reached: {e}")))?;
        if !response.status().is_success() {
            let body: Value = response.json().await.unwrap_or_default();
            let message = body
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("request failed");
            return Err(GhError(message.to_owned()));
        }
        response
            .json()
            .await
            .map_err(|e| GhError(format!("GitHub sent an unexpected answer: {e}")))
    }
}

/// What GitHub hands over once for an App made from a manifest.
#[derive(Debug, Deserialize)]
pub struct GhManifestConversion {
    pub id: i64,
    pub slug: String,
    pub client_id: String,
    pub client_secret: String,
    pub webhook_secret: Option<String>,
    pub pem: String,
}
