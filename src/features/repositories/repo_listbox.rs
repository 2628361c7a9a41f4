//! The picker's list: a multi-select listbox that renders only the rows in view (a
//! stable row height, a spacer as tall as the whole list), so 10,000 repositories scroll
//! and filter without blocking a frame and the page's memory stays flat.
//!
//! Arrows, Home/End and Page Up/Down move the active row (announced through
//! `aria-activedescendant` and kept in view), Space toggles it, Enter asks to connect the
//! selection; a click toggles the row clicked.
//!
//! The rows in view are written straight to the DOM by one effect rather than through
//! `view!`: the window changes on every scroll step and keystroke, and this keeps both the
//! work per frame and the wasm small (see the README's size section). Names and
//! descriptions go in as text nodes only, each in a `<bdi>`.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, MouseEvent};

use super::picker::{Repos, Row, window};

/// The height of one row, in CSS pixels (the stylesheet's `.picker-row`).
pub const ROW_PX: usize = 64;
/// Rows rendered above and below the visible ones.
const EXTRA: usize = 6;

/// Which rows are picked, by full name: kept across searches and filters.
pub type Selection = RwSignal<Vec<String>>;

/// The windowed listbox of repositories.
#[component]
pub fn RepoListbox(
    /// Every repository, prepared once.
    rows: Memo<Arc<Repos>>,
    /// The rows shown, in order, as indices into `rows`.
    shown: Memo<Arc<Vec<u32>>>,
    selection: Selection,
    /// The position (in `shown`) of the active row; moved here, or by the page.
    active: RwSignal<usize>,
    /// Enter: connect the selection.
    on_enter: Callback<()>,
) -> impl IntoView {
    let list = NodeRef::<html::Div>::new();
    let space = NodeRef::<html::Div>::new();
    let total = move || shown.with(|s| s.len());
    // The window of rows in the DOM, so that scrolling within it redraws nothing.
    let drawn = StoredValue::new((usize::MAX, 0_usize));
    // Draws the rows in view; `force` when the rows themselves or their state changed.
    let redraw = move |force: bool| {
        let (Some(el), Some(space)) = (list.get_untracked(), space.get_untracked()) else {
            return;
        };
        let (top, height) = (
            el.scroll_top().max(0) as usize,
            el.client_height().max(0) as usize,
        );
        let count = shown.with_untracked(|s| s.len());
        let range = window(top as f64, height as f64, ROW_PX as f64, count, EXTRA);
        if !force && drawn.get_value() == range {
            return;
        }
        drawn.set_value(range);
        let active = active.get_untracked();
        rows.with_untracked(|repos| {
            shown.with_untracked(|shown| {
                selection.with_untracked(|picked| draw(&space, &repos.rows, shown, range, active, picked));
            })
        });
    };
    // A newly active row is brought into view; any change draws again.
    let shown_active = StoredValue::new(usize::MAX);
    Effect::new(move |_| {
        let active = active.get();
        rows.track();
        shown.track();
        selection.track();
        let Some(el) = list.get() else { return };
        if shown_active.get_value() != active {
            shown_active.set_value(active);
            let (top, height) = (
                el.scroll_top().max(0) as usize,
                el.client_height().max(0) as usize,
            );
            let row_top = active * ROW_PX;
            if row_top < top {
                el.set_scroll_top(row_top as i32);
            } else if row_top + ROW_PX > top + height {
                el.set_scroll_top((row_top + ROW_PX).saturating_sub(height) as i32);
            }
        }
        redraw(true);
    });

    let toggle = move |position: usize| {
        let name = rows.with_untracked(|repos| {
            shown
                .with_untracked(|s| s.get(position).and_then(|i| repos.rows.get(*i as usize)))
                .filter(|r| !r.imported)
                .map(|r| r.full_name.clone())
        });
        if let Some(name) = name {
            selection.update(|picked| match picked.iter().position(|p| *p == name) {
                Some(at) => {
                    picked.remove(at);
                }
                None => picked.push(name),
            });
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        let count = total();
        if count == 0 {
            return;
        }
        let height = list
            .get_untracked()
            .map_or(0, |el| el.client_height().max(0) as usize);
        let page = (height / ROW_PX).max(1);
        let here = active.get_untracked().min(count - 1);
        let to = match ev.key().as_str() {
            "ArrowDown" => (here + 1).min(count - 1),
            "ArrowUp" => here.saturating_sub(1),
            "Home" => 0,
            "End" => count - 1,
            "PageDown" => (here + page).min(count - 1),
            "PageUp" => here.saturating_sub(page),
            " " => {
                ev.prevent_default();
                toggle(here);
                return;
            }
            "Enter" => {
                ev.prevent_default();
                on_enter.run(());
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        active.set(to);
    };
    let on_click = move |ev: MouseEvent| {
        let position = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("[role=option]").ok().flatten())
            .and_then(|el| el.get_attribute("data-position"))
            .and_then(|p| p.parse::<usize>().ok());
        if let Some(position) = position {
            active.set(position);
            toggle(position);
        }
    };

    view! {
        <div node_ref=list class="picker-list" role="listbox" tabindex="0"
            aria-label="Repositories you can connect" aria-multiselectable="true"
            aria-activedescendant=move || (total() > 0).then(|| format!("repo-option-{}", active.get().min(total() - 1)))
            on:scroll=move |_| redraw(false) on:keydown=on_key on:click=on_click>
            <div node_ref=space class="picker-list__space"></div>
        </div>
    }
}

/// Replaces the rows in the DOM with those of `start..end`.
fn draw(
    space: &HtmlElement,
    rows: &[Row],
    shown: &[u32],
    (start, end): (usize, usize),
    active: usize,
    picked: &[String],
) {
    // Through the CSSOM, which a strict Content-Security-Policy allows (a `style`
    // attribute it would not).
    let _ = HtmlElement::style(space).set_property("height", &format!("{}px", shown.len() * ROW_PX));
    space.set_text_content(None);
    let setsize = shown.len().to_string();
    for position in start..end {
        let Some(row) = shown.get(position).and_then(|i| rows.get(*i as usize)) else {
            continue;
        };
        let selected = row.imported || picked.contains(&row.full_name);
        if option(space, row, position, &setsize, selected, position == active).is_none() {
            return;
        }
    }
}

fn option(
    space: &HtmlElement,
    row: &Row,
    position: usize,
    setsize: &str,
    selected: bool,
    active: bool,
) -> Option<()> {
    let document = document();
    let el = |tag: &str, class: &str, text: Option<&str>| -> Option<Element> {
        let e = document.create_element(tag).ok()?;
        e.set_class_name(class);
        e.set_text_content(text);
        Some(e)
    };
    let class = if active {
        "picker-row picker-row--active"
    } else {
        "picker-row"
    };
    let option = el("div", class, None)?;
    for (name, value) in [
        ("role", "option"),
        ("id", &format!("repo-option-{position}")),
        ("data-position", &position.to_string()),
        ("aria-selected", if selected { "true" } else { "false" }),
        ("aria-setsize", setsize),
        ("aria-posinset", &(position + 1).to_string()),
    ] {
        option.set_attribute(name, value).ok()?;
    }
    if row.imported {
        option.set_attribute("aria-disabled", "true").ok()?;
    }
    let top = format!("{}px", position * ROW_PX);
    HtmlElement::style(option.dyn_ref::<HtmlElement>()?)
        .set_property("top", &top)
        .ok()?;
    let check = el(
        "span",
        "picker-row__check",
        Some(if selected { "☑" } else { "☐" }),
    )?;
    check.set_attribute("aria-hidden", "true").ok()?;
    let main = el("span", "picker-row__main", None)?;
    let name = el("bdi", "picker-row__name", Some(&row.full_name))?;
    let mut facts = String::new();
    for (show, fact) in [
        (row.imported, "Already connected"),
        (row.private, "Private"),
        (!row.language.is_empty(), row.language.as_str()),
        (!row.description.is_empty(), row.description.as_str()),
    ] {
        if show {
            if !facts.is_empty() {
                facts.push_str(" · ");
            }
            facts.push_str(fact);
        }
    }
    let meta = el("bdi", "picker-row__meta", Some(&facts))?;
    main.append_child(&name).ok()?;
    main.append_child(&meta).ok()?;
    option.append_child(&check).ok()?;
    option.append_child(&main).ok()?;
    space.append_child(&option).ok()?;
    Some(())
}
