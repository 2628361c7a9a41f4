//! One HTTP exchange through the browser's `fetch`, written on web-sys directly: the
//! client needs a method, a few headers, an optional JSON body, an abort signal and the
//! answer as text, and a wrapper crate cost several times these lines in wasm.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, Request, RequestCredentials, RequestInit, Response};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// What came back: the status, the body as text, and `Retry-After` when the browser lets
/// the page read it (same origin, or exposed by CORS).
pub struct Answer {
    pub status: u16,
    pub text: String,
    pub retry_after: Option<String>,
}

/// A request to send.
pub struct Exchange<'a> {
    pub method: Method,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    /// The body: JSON unless `headers` name another Content-Type.
    pub body: Option<&'a str>,
    /// Send cookies across origins too (the API's `flui_session`).
    pub with_credentials: bool,
    pub abort: Option<&'a AbortSignal>,
}

/// `Err` when there was no answer: offline, refused, blocked by CORS, or aborted.
pub async fn fetch(exchange: Exchange<'_>) -> Result<Answer, JsValue> {
    let init = RequestInit::new();
    init.set_method(exchange.method.as_str());
    let headers = Headers::new()?;
    for (name, value) in exchange.headers {
        headers.set(name, value)?;
    }
    if let Some(body) = exchange.body {
        if !headers.has("Content-Type")? {
            headers.set("Content-Type", "application/json")?;
        }
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    if exchange.with_credentials {
        init.set_credentials(RequestCredentials::Include);
    }
    if let Some(signal) = exchange.abort {
        init.set_signal(Some(signal));
    }
    let request = Request::new_with_str_and_init(exchange.url, &init)?;
    let response: Response = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    Ok(Answer {
        status: response.status(),
        text: text.as_string().unwrap_or_default(),
        retry_after: response.headers().get("retry-after").ok().flatten(),
    })
}
