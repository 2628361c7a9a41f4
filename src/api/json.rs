//! JSON in and out of the API. miniserde rather than serde: its deserializers work
//! through one visitor per type instead of generic code per type and format, which the
//! size budget needs (see the README); the contract's shapes ask for nothing more.

use miniserde::de::Visitor;
use miniserde::json::{self, Number, Value};
pub use miniserde::{Deserialize as Decode, Serialize as Encode};

use super::error::ApiError;

/// Decodes a response body into the contract's type for it.
pub fn decode<T: Decode>(text: &str) -> Result<T, ApiError> {
    json::from_str(text)
        .map_err(|_| ApiError::Decode("the answer is not the JSON the contract describes for it".into()))
}

pub(super) fn encode<B: Encode>(body: &B) -> String {
    json::to_string(body)
}

/// A value the contract leaves open: a Postgres bigint id may come as a JSON number or a
/// string (TypeORM's default); `null`, `""` or anything else reads as absent.
pub(super) fn bigint_id(value: &Option<Value>) -> Option<String> {
    match value {
        Some(Value::Number(Number::U64(number))) => Some(number.to_string()),
        Some(Value::String(text)) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    }
}

/// An enum read from a JSON string, with a value for strings newer than the dashboard.
pub(super) trait FromWire: Sized {
    fn from_wire(text: &str) -> Self;
}

miniserde::make_place!(Place);

impl<T: FromWire> Visitor for Place<T> {
    fn string(&mut self, text: &str) -> miniserde::Result<()> {
        self.out = Some(T::from_wire(text));
        Ok(())
    }
}

/// `impl Decode` for a [`FromWire`] enum.
macro_rules! decode_from_wire {
    ($type:ty) => {
        impl miniserde::Deserialize for $type {
            fn begin(out: &mut Option<Self>) -> &mut dyn miniserde::de::Visitor {
                super::json::wire_place(out)
            }
        }
    };
}
pub(super) use decode_from_wire;

pub(super) fn wire_place<T: FromWire>(out: &mut Option<T>) -> &mut dyn Visitor {
    Place::new(out)
}
