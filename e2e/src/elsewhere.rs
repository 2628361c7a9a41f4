//! What happens outside the page under test: the same user (or another) calling the API
//! directly, as the CLI or another tab would, and GitHub set up for the demo user.

use flui_sandbox::demo::DemoAccount;
use serde_json::{Value, json};

use crate::Page;

/// A signed-in API session of `account`, apart from the browser's.
pub struct Elsewhere {
    http: reqwest::Client,
    api: String,
    token: String,
}

impl Page {
    /// The demo user has connected GitHub as `uma-dev`, with the App installed on
    /// `uma-dev` and `uma-labs`: as after the install and consent round trip.
    pub async fn demo_user_on_github(&self) {
        for owner in ["uma-dev", "uma-labs"] {
            self.sandbox
                .install_app_on_github(owner)
                .expect("the App installed on GitHub");
        }
        self.sandbox
            .connect_github(flui_sandbox::demo::USER.email, "uma-dev")
            .await
            .expect("GitHub connected");
    }

    /// Signs `account` in through the API.
    pub async fn elsewhere(&self, account: &DemoAccount) -> Elsewhere {
        let http = reqwest::Client::new();
        let api = format!("{}/api/v1", self.sandbox.url());
        let signed_in: Value = http
            .post(format!("{api}/auth/login"))
            .json(&json!({ "email": account.email, "password": account.password }))
            .send()
            .await
            .expect("sign in through the API")
            .json()
            .await
            .expect("a token response");
        let token = signed_in["access_token"]
            .as_str()
            .expect("an access token")
            .to_owned();
        Elsewhere { http, api, token }
    }
}

impl Elsewhere {
    /// `method path` (after `/api/v1`) with a JSON body; the status and the JSON answer
    /// (`null` when there is none).
    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .http
            .request(method.parse().expect("a method"), format!("{}{path}", self.api))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer from the API");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Imports `names` as `flui repo connect` does; the import result.
    pub async fn import(&self, names: &[&str]) -> Value {
        let body = json!({ "repositoryIds": names });
        let (status, answer) = self.send("POST", "/repositories/import", Some(body)).await;
        assert_eq!(status, 201, "import: {answer}");
        answer
    }
}
