//! The user's credentials as the banner shows them (`provide_credentials` /
//! `use_credentials`): read once for the signed-in shell, read again after any change to
//! them, and dismissable for the rest of the session (in memory only).

use leptos::prelude::*;

use crate::api::credentials::CredentialsStatus;
use crate::api::ghcr_pat::GhcrPatStatus;
use crate::api::{ApiResource, use_api};

/// Copy; get it with [`use_credentials`].
#[derive(Clone, Copy)]
pub struct Credentials {
    pub status: ApiResource<CredentialsStatus>,
    /// Read beside it, never cached by Flui: an older Flui caches the aggregated status
    /// for five minutes, which would show a token just saved as still missing.
    pub ghcr: ApiResource<GhcrPatStatus>,
    dismissed: RwSignal<bool>,
}

impl Credentials {
    /// Reads them again (after a token was saved, rotated or revoked).
    pub fn refresh(&self) {
        self.status.refetch();
        self.ghcr.refetch();
    }

    pub fn dismissed(&self) -> bool {
        self.dismissed.get()
    }

    pub fn dismiss(&self) {
        self.dismissed.set(true);
    }
}

/// For the signed-in shell: its owner lives as long as the session does.
pub fn provide_credentials() -> Credentials {
    let api = use_api();
    let credentials = Credentials {
        status: api.resource(|api| async move { api.credentials_status().await }),
        ghcr: api.resource(|api| async move { api.ghcr_pat_status().await }),
        dismissed: RwSignal::new(false),
    };
    provide_context(credentials);
    credentials
}

/// The credentials of the signed-in shell, where there is one.
pub fn use_credentials() -> Option<Credentials> {
    use_context::<Credentials>()
}

/// The user's GHCR token as Flui reports it, for a page: the shell's read where there is
/// one, so that the page and the banner show one answer from one request. A page opened
/// after the shell's first read reads it afresh, as a page of its own would (the banner
/// follows).
pub fn use_ghcr_status() -> ApiResource<GhcrPatStatus> {
    match use_credentials() {
        Some(credentials) => {
            if !credentials.ghcr.loading() {
                credentials.ghcr.refetch();
            }
            credentials.ghcr
        }
        None => use_api().resource(|api| async move { api.ghcr_pat_status().await }),
    }
}
