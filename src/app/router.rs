//! Where the browser is, as a signal, and how it moves: links, Back and Forward without a
//! page load, and navigation from code. The route table (`super::Dashboard`) matches
//! [`Page`]s on it.
//!
//! Written here rather than taken from `leptos_router`: the dashboard serves a fixed set of
//! static paths, and that router's generic matching, nested outlets and transitions cost
//! about 20 KB of the wasm after compression (a tenth of the budget), measured with
//! `cargo xtask size`; see the README's size section.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlAnchorElement, MouseEvent, UrlSearchParams};

use super::navigation::path_with_query;
use super::routes::Page;

/// The address bar's path and query (without its `?`).
#[derive(Clone, Debug, PartialEq)]
struct Here {
    path: String,
    search: String,
}

fn read_here() -> Here {
    let location = window().location();
    Here {
        path: location.pathname().unwrap_or_else(|_| "/".to_owned()),
        search: location
            .search()
            .unwrap_or_default()
            .trim_start_matches('?')
            .to_owned(),
    }
}

/// The location and navigation, shared by every page through context.
#[derive(Clone, Copy)]
pub struct Router {
    here: RwSignal<Here>,
}

/// Starts following the address bar: Back and Forward, and clicks on links to the
/// dashboard's own pages.
pub fn provide_router() -> Router {
    let router = Router {
        here: RwSignal::new(read_here()),
    };
    let moved = window_event_listener(ev::popstate, move |_| router.here.set(read_here()));
    let clicked = window_event_listener(ev::click, move |ev| router.follow(&ev));
    on_cleanup(move || {
        moved.remove();
        clicked.remove();
    });
    provide_context(router);
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

impl Router {
    /// The path being shown (tracked).
    pub fn path(self) -> String {
        self.here.with(|here| here.path.clone())
    }

    /// The path being shown, read without tracking.
    pub fn path_untracked(self) -> String {
        self.here.with_untracked(|here| here.path.clone())
    }

    /// The decoded value of a query parameter (tracked).
    pub fn query(self, key: &str) -> Option<String> {
        self.here.with(|here| query_value(&here.search, key))
    }

    /// The decoded value of a query parameter, read without tracking.
    pub fn query_untracked(self, key: &str) -> Option<String> {
        self.here.with_untracked(|here| query_value(&here.search, key))
    }

    /// The path and query being shown, read without tracking.
    pub fn here_untracked(self) -> String {
        self.here
            .with_untracked(|here| path_with_query(&here.path, &here.search))
    }

    /// Goes to `to` (a path and query), as a new history entry, at the top of the page.
    pub fn navigate(self, to: &str) {
        self.go(to, false);
    }

    /// Goes to `to` in place of the current entry: Back then skips where we were.
    pub fn replace(self, to: &str) {
        self.go(to, true);
    }

    /// Puts `pairs` in the address bar's query in place of the current one, without a new
    /// history entry (search and filters as they change). A browser that refuses (too
    /// many changes in a moment) keeps the old address; nothing else happens.
    pub fn set_query(self, pairs: &[(&str, String)]) {
        let Ok(params) = UrlSearchParams::new() else {
            return;
        };
        for (key, value) in pairs {
            params.append(key, value);
        }
        let search: String = params.to_string().into();
        let to = path_with_query(&self.path_untracked(), &search);
        let moved = window()
            .history()
            .and_then(|history| history.replace_state_with_url(&JsValue::NULL, "", Some(&to)));
        if moved.is_ok() {
            self.here.set(read_here());
        }
    }

    fn go(self, to: &str, replace: bool) {
        let window = window();
        let moved = window.history().and_then(|history| {
            if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(to))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(to))
            }
        });
        if moved.is_err() {
            // No history API to use: let the browser load the page.
            let _ = window.location().assign(to);
            return;
        }
        self.here.set(read_here());
        if !replace {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// A click on a link to one of the dashboard's pages: shown here, without a page load.
    /// Everything else (modifier keys, new tabs, downloads, other origins, paths the
    /// dashboard does not serve, a fragment of the page shown) is left to the browser.
    fn follow(self, ev: &MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .and_then(|element| element.dyn_into::<HtmlAnchorElement>().ok())
        else {
            return;
        };
        if !link.target().is_empty()
            || link.has_attribute("download")
            || window().location().origin().ok() != Some(link.origin())
        {
            return;
        }
        let (path, search, hash) = (link.pathname(), link.search(), link.hash());
        if Page::from_path(&path).is_none() {
            return;
        }
        let same_page = self
            .here
            .with_untracked(|here| here.path == path && here.search == search.trim_start_matches('?'));
        if same_page && !hash.is_empty() {
            // The skip link: the browser scrolls and moves the focus itself.
            return;
        }
        ev.prevent_default();
        self.navigate(&format!("{path}{search}{hash}"));
    }
}

fn query_value(search: &str, key: &str) -> Option<String> {
    UrlSearchParams::new_with_str(search).ok()?.get(key)
}

/// Sends the browser to `to` in place of the current entry as soon as the current
/// rendering is done: a gate's answer to someone who may not see the page.
#[component]
pub fn Redirect(to: String) -> impl IntoView {
    let router = use_router();
    queue_microtask(move || router.replace(&to));
}
