//! Who is signed in: the session context (`provide_session` / `use_session`).

use leptos::prelude::*;

use crate::api::config::RuntimeConfig;
use crate::api::models::{INTEGRATION_MANAGE, Me, Permissions};
use crate::api::{Api, ApiError, Client};

/// The signed-in user and what they may do.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedInUser {
    pub me: Me,
    /// Platform admin or `integration:manage`: the admin pages are theirs.
    pub is_admin: bool,
}

impl SignedInUser {
    pub fn new(me: Me, permissions: Option<Permissions>) -> Self {
        let is_admin = me.is_admin.unwrap_or(false)
            || permissions
                .is_some_and(|p| p.is_admin || p.permissions.iter().any(|perm| perm == INTEGRATION_MANAGE));
        Self { me, is_admin }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// Start-up: asking the API whether the browser still holds a session.
    Checking,
    /// No session: never signed in, or the server ended it. Sign-in returns the user
    /// to where they were.
    SignedOut,
    /// The user signed out. Sign-in starts afresh at the overview, so the next person
    /// at this browser is not taken to the previous user's page.
    SignedOutByUser,
    SignedIn(SignedInUser),
}

/// The app-wide session. Copy; get it with [`use_session`].
#[derive(Clone, Copy)]
pub struct Session {
    client: Client,
    state: RwSignal<SessionState>,
}

impl Session {
    pub fn state(&self) -> Signal<SessionState> {
        self.state.into()
    }

    pub fn user(&self) -> Option<SignedInUser> {
        match self.state.get() {
            SessionState::SignedIn(user) => Some(user),
            _ => None,
        }
    }

    /// After a reload the access token is gone from memory; the httpOnly `flui_session`
    /// cookie the API set at sign-in may still hold a session.
    pub async fn restore(&self) {
        let api = Api::unscoped(self.client);
        let next = match load_user(&api).await {
            Ok(user) => SessionState::SignedIn(user),
            Err(_) => SessionState::SignedOut,
        };
        // A sign-in that finished first wins over this older answer.
        if self.state.get_untracked() == SessionState::Checking {
            self.state.set(next);
        }
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<(), ApiError> {
        let api = Api::unscoped(self.client);
        api.login(email, password).await?;
        let user = load_user(&api).await?;
        self.state.set(SessionState::SignedIn(user));
        Ok(())
    }

    pub async fn sign_out(&self) {
        Api::unscoped(self.client).logout().await;
        self.client.forget_tokens();
        self.state.set(SessionState::SignedOutByUser);
    }
}

async fn load_user(api: &Api) -> Result<SignedInUser, ApiError> {
    let me = api.me().await?;
    // Older servers may lack /me/permissions; `isAdmin` from /auth/me still decides then.
    let permissions = api.permissions().await.ok();
    Ok(SignedInUser::new(me, permissions))
}

/// Creates the session for `config`, provides it and the API client as context, and
/// starts checking for an existing session.
pub fn provide_session(config: RuntimeConfig) -> Session {
    let state = RwSignal::new(SessionState::Checking);
    let client = Client::new(config, Callback::new(move |_| state.set(SessionState::SignedOut)));
    let session = Session { client, state };
    provide_context(client);
    provide_context(session);
    leptos::task::spawn_local(async move { session.restore().await });
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(is_admin: Option<bool>) -> Me {
        Me {
            user_id: "u1".into(),
            email: "u@example.com".into(),
            name: None,
            display_name: None,
            is_admin,
        }
    }

    #[test]
    fn admin_rights_come_from_the_flag_or_the_permission() {
        assert!(SignedInUser::new(me(Some(true)), None).is_admin);
        assert!(!SignedInUser::new(me(None), None).is_admin);
        let perms = |p: &[&str], is_admin| Permissions {
            permissions: p.iter().map(|s| s.to_string()).collect(),
            is_admin,
        };
        assert!(SignedInUser::new(me(None), Some(perms(&["app:read", INTEGRATION_MANAGE], false))).is_admin);
        assert!(SignedInUser::new(me(Some(false)), Some(perms(&[], true))).is_admin);
        assert!(!SignedInUser::new(me(Some(false)), Some(perms(&["app:read", "app:write"], false))).is_admin);
    }
}
