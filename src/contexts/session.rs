//! Who is signed in: the session context (`provide_session` / `use_session`), and what
//! keeps a session alive while its tab is open.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::VisibilityState;

use super::keep_alive::{RETRY_AFTER_FAILURE_MS, refresh_due_at};
use crate::api::auth::{INTEGRATION_MANAGE, Me, Permissions};
use crate::api::config::{AuthMode, RuntimeConfig};
use crate::api::oidc::{discover, end_session_url};
use crate::api::{Api, ApiError, Client, ErrorKind, Refresh, start_now};

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
            || permissions.is_some_and(|p| {
                p.is_admin == Some(true)
                    || p.permissions
                        .iter()
                        .flatten()
                        .any(|perm| perm == INTEGRATION_MANAGE)
            });
        Self { me, is_admin }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// Asking the API whether the browser still holds a session.
    Checking,
    /// The API could not say (down, failing, or not Flui): nobody is known to be signed
    /// in or out until it answers.
    Unreachable(ApiError),
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
    /// Set when a signed-in session ended without the user signing out (the server
    /// refused it and no refresh could renew it); cleared by the next sign-in.
    lost: RwSignal<bool>,
}

impl Session {
    /// Where the session stands, tracked.
    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    /// Where the session stands, read once (not tracked).
    pub fn state_untracked(&self) -> SessionState {
        self.state.get_untracked()
    }

    /// The runtime settings.
    pub fn config(&self) -> RuntimeConfig {
        self.client.config()
    }

    /// The API client (its tokens, for the OIDC sign-in to hand over).
    pub fn client(&self) -> Client {
        self.client
    }

    /// Whether the last session ended without a sign-out, read once; reading clears it.
    pub fn take_lost(&self) -> bool {
        let lost = self.lost.get_untracked();
        self.lost.set(false);
        lost
    }

    /// The Flui API's origin, as configured.
    pub fn api_origin(&self) -> String {
        self.client.config().api_base_url
    }

    pub fn user(&self) -> Option<SignedInUser> {
        match self.state.get() {
            SessionState::SignedIn(user) => Some(user),
            _ => None,
        }
    }

    /// Whether the signed-in user has admin rights, read once (not tracked).
    pub fn is_admin_untracked(&self) -> bool {
        self.state
            .with_untracked(|s| matches!(s, SessionState::SignedIn(user) if user.is_admin))
    }

    pub fn is_admin(&self) -> bool {
        self.state
            .with(|s| matches!(s, SessionState::SignedIn(user) if user.is_admin))
    }

    /// Whether the user is signed in: `None` while that is not known yet.
    pub fn signed_in(&self) -> Option<bool> {
        self.state.with(|s| match s {
            SessionState::Checking | SessionState::Unreachable(_) => None,
            SessionState::SignedIn(_) => Some(true),
            SessionState::SignedOut | SessionState::SignedOutByUser => Some(false),
        })
    }

    /// Asks the API who is signed in. After a reload the access token is gone from
    /// memory; the httpOnly `flui_session` cookie the API set may still hold a session.
    pub fn check(&self) {
        self.state.set(SessionState::Checking);
        let session = *self;
        spawn_local(start_now(Box::pin(async move {
            let next = match load_user(&Api::unscoped(session.client)).await {
                Ok(user) => SessionState::SignedIn(user),
                // Only the API's own "nobody is signed in" means signed out.
                Err(error) if error.is_unauthorized() => SessionState::SignedOut,
                Err(error) => SessionState::Unreachable(error),
            };
            // A sign-in that finished first wins over this older answer.
            if session.state.get_untracked() == SessionState::Checking {
                session.state.set(next);
            }
        })));
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<(), ApiError> {
        let api = Api::unscoped(self.client);
        api.login(email, password).await?;
        let user = load_user(&api).await?;
        self.state.set(SessionState::SignedIn(user));
        Ok(())
    }

    /// OIDC: after the provider's tokens are in the client, asks the API to set its
    /// session cookie from them and loads the user.
    pub async fn sign_in_with_provider_tokens(&self) -> Result<(), ApiError> {
        let api = Api::unscoped(self.client);
        let signed_in = match api.open_oidc_session().await {
            Ok(()) => load_user(&api).await,
            Err(error) => Err(error),
        };
        match signed_in {
            Ok(user) => {
                self.lost.set(false);
                self.state.set(SessionState::SignedIn(user));
                Ok(())
            }
            Err(error) => {
                self.client.forget_tokens();
                Err(error)
            }
        }
    }

    /// Ends the session at the API; with OIDC, then at the provider, which sends the
    /// browser back to `/login?loggedOut=true`. When the API could not end it, the user
    /// stays signed in and the error says so.
    pub async fn sign_out(&self) -> Result<(), ApiError> {
        let leave_to = match self.config().auth_mode {
            AuthMode::Oidc => self.provider_sign_out_url().await,
            AuthMode::Local => None,
        };
        Api::unscoped(self.client).logout().await?;
        self.state.set(SessionState::SignedOutByUser);
        if let Some(url) = leave_to {
            let _ = window().location().assign(&url);
        }
        Ok(())
    }

    /// The provider's end-session request for this tab's sign-in, if the provider has one.
    async fn provider_sign_out_url(&self) -> Option<String> {
        let config = self.config();
        let discovery = match self.client.discovery() {
            Some(discovery) => discovery,
            None => discover(config.oidc_issuer.as_deref()?).await.ok()?,
        };
        let back = format!(
            "{}{}?loggedOut=true",
            window().location().origin().ok()?,
            crate::app::routes::Page::SignIn.path()
        );
        end_session_url(
            &discovery,
            config.oidc_client_id.as_deref()?,
            self.client.id_token().as_deref(),
            &back,
        )
    }

    /// Renews the access token now; a refusal ends the session.
    async fn renew(&self) -> Refresh {
        let outcome = self.client.refresh().await;
        if outcome == Refresh::Refused {
            self.client.forget_tokens();
            self.lost.set(true);
            self.state.set(SessionState::SignedOut);
        }
        outcome
    }
}

/// Who is signed in and what they may do: both questions asked at once.
async fn load_user(api: &Api) -> Result<SignedInUser, ApiError> {
    let (me, permissions) = futures::future::join(api.me(), api.permissions()).await;
    let me = me?;
    // An older server has no /me/permissions (404): `isAdmin` from /auth/me decides then.
    let permissions = match permissions {
        Ok(permissions) => Some(permissions),
        Err(error) if error.kind() == ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    Ok(SignedInUser::new(me, permissions))
}

/// Creates the session for `config`, provides it and the API client as context, starts
/// checking for an existing session, and keeps a signed-in session alive.
pub fn provide_session(config: RuntimeConfig) -> Session {
    let state = RwSignal::new(SessionState::Checking);
    let lost = RwSignal::new(false);
    let client = Client::new(
        config,
        Callback::new(move |_| {
            lost.set(matches!(state.get_untracked(), SessionState::SignedIn(_)));
            state.set(SessionState::SignedOut);
        }),
    );
    let session = Session { client, state, lost };
    provide_context(client);
    provide_context(session);
    session.check();
    keep_alive(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Flui's session cookie lives as long as the access token (15 minutes) and the refresh
/// token lives in this tab's memory only: without a refresh, a reload after the cookie
/// lapsed would ask to sign in again. So the tab renews the token shortly before it
/// expires, but only while someone can see it: a hidden tab waits until it is shown.
fn keep_alive(session: Session) {
    let client = session.client;
    let visible = page_visible();
    // After a renewal without a verdict (rate limited, offline): when to try again.
    let retry_at = RwSignal::new(None::<f64>);
    let renew_at = Memo::new(move |_| {
        retry_at.get().or_else(|| {
            client
                .access_expires()
                .map(|expires| refresh_due_at(expires, js_sys::Date::now()))
        })
    });
    // Set when the renewal fell due while the tab was hidden.
    let due = RwSignal::new(false);
    let renew = move || {
        due.set(false);
        spawn_local(async move {
            let outcome = session.renew().await;
            let again = matches!(outcome, Refresh::Failed(_)) && client.can_refresh();
            retry_at.set(again.then(|| js_sys::Date::now() + RETRY_AFTER_FAILURE_MS));
        });
    };
    let fire = move || {
        if visible.get_untracked() {
            renew();
        } else {
            due.set(true);
        }
    };
    // The browser's timer follows the planned renewal.
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = match renew_at.get() {
            Some(at) if client.can_refresh() => {
                let wait = Duration::from_millis((at - js_sys::Date::now()).max(0.0) as u64);
                set_timeout_with_handle(fire, wait).ok()
            }
            _ => None,
        };
        timer.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
    });
    // Shown again after the renewal fell due: renew now.
    Effect::new(move |_| {
        let shown = visible.get();
        let overdue = renew_at
            .get_untracked()
            .is_some_and(|at| js_sys::Date::now() >= at);
        if shown && (due.get_untracked() || overdue) && client.can_refresh() {
            renew();
        }
    });
}

/// Whether the page can be seen, following the document's `visibilitychange` for as long
/// as the calling owner lives. (A few lines of its own rather than leptos-use's
/// `use_document_visibility`, which costs the wasm about 1.3 KB after compression.)
fn page_visible() -> ReadSignal<bool> {
    let shown = || document().visibility_state() == VisibilityState::Visible;
    let visible = RwSignal::new(shown());
    let changed = Closure::<dyn Fn()>::new(move || {
        visible.try_set(shown());
    });
    let added =
        document().add_event_listener_with_callback("visibilitychange", changed.as_ref().unchecked_ref());
    if added.is_ok() {
        let changed = SendWrapper::new(changed);
        on_cleanup(move || {
            let _ = document()
                .remove_event_listener_with_callback("visibilitychange", changed.as_ref().unchecked_ref());
        });
    }
    visible.read_only()
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
            permissions: Some(p.iter().map(|s| s.to_string()).collect()),
            is_admin: Some(is_admin),
        };
        assert!(SignedInUser::new(me(None), Some(perms(&["app:read", INTEGRATION_MANAGE], false))).is_admin);
        assert!(SignedInUser::new(me(Some(false)), Some(perms(&[], true))).is_admin);
        assert!(!SignedInUser::new(me(Some(false)), Some(perms(&["app:read", "app:write"], false))).is_admin);
    }
}
