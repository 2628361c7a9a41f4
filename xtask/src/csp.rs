//! The CSP sources of `index.html`'s inline scripts (the theme script and trunk's loader),
//! written beside a release build as `dist/csp-script-hashes`: what `deploy/render.sh`
//! puts in `script-src`, so the production CSP needs no `unsafe-inline`.

use std::fs;
use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

/// The bodies of the scripts without `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

/// `'sha256-…'` for each inline script, space-separated.
pub fn script_hashes(html: &str) -> String {
    inline_scripts(html)
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `dist/csp-script-hashes` for `dist/index.html`.
pub fn write_hashes(dist: &Path) -> Result<(), String> {
    let html = fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("cannot read {}/index.html: {e}", dist.display()))?;
    fs::write(dist.join("csp-script-hashes"), script_hashes(&html) + "\n")
        .map_err(|e| format!("cannot write {}/csp-script-hashes: {e}", dist.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<script>a()</script><script type="module" src="/x.js"></script><script type="module">b()</script>"#;
        let hashes = script_hashes(html);
        assert_eq!(hashes.matches("'sha256-").count(), 2, "{hashes}");
        // echo -n 'a()' | openssl dgst -sha256 -binary | openssl base64
        assert!(
            hashes.starts_with("'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4=' "),
            "{hashes}"
        );
        assert_eq!(script_hashes("<p>no scripts</p>"), "");
    }
}
