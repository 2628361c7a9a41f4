//! The colour family of a status. Plain data: wording code picks a tone, the pill shows it.

/// Always shown with a word and an icon, never by colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Success,
    Warning,
    Danger,
    Neutral,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Warning => "warning",
            Self::Danger => "danger",
            Self::Neutral => "neutral",
        }
    }

    /// A text symbol that carries the meaning without colour.
    pub fn icon(self) -> &'static str {
        match self {
            Self::Success => "✓",
            Self::Warning => "!",
            Self::Danger => "✕",
            Self::Neutral => "–",
        }
    }
}
