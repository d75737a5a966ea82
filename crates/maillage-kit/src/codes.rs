//! Enumerations stored as stable codes: lower-case slugs written in the store, in forms, in CSV files and in
//! the audit log. One declaration ([`coded!`](crate::coded)) gives the enum, its codes, the list of its values in
//! display order and its parsing, so that a value added to the enum is written, listed and read back alike.
//! French labels live in `maillage-messages`; [`check`] is what a test calls to prove a list is sound.

/// An enumeration stored as a stable code.
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in display order (derived by [`coded!`](crate::coded): never written by hand).
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares an enum with its stable codes and its [`Coded`] implementation (serialised as its code). Variants
/// may carry attributes and doc comments; the enum may carry derives of its own beyond the ones given here
/// (`Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash`).
///
/// ```
/// maillage_kit::coded! {
///     /// A level of activation.
///     pub enum Level { Watch => "veille", Alert => "alerte", }
/// }
/// use maillage_kit::codes::Coded;
/// assert_eq!(Level::parse("alerte"), Some(Level::Alert));
/// assert_eq!(Level::ALL.len(), 2);
/// ```
#[macro_export]
macro_rules! coded {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name { $($(#[$vm])* $variant,)+ }

        /// Serialised as its stable code.
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::codes::Coded::code(*self))
            }
        }

        impl $crate::codes::Coded for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
        }
    };
}

/// Parses a list of codes separated by `|` or `,` (as in forms, CSV files and the store), without repeats, in
/// the order of [`Coded::ALL`]; `Err` holds the first unknown code.
pub fn parse_list<T: Coded + Ord>(text: &str) -> Result<Vec<T>, &str> {
    let mut out = Vec::new();
    for part in text
        .split(['|', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let v = T::parse(part).ok_or(part)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.sort();
    Ok(out)
}

/// Writes a list of codes as stored: `|`-separated.
pub fn join<T: Coded>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| v.code())
        .collect::<Vec<_>>()
        .join("|")
}

/// What a sound list of codes must hold, for the tests of every crate that declares one: codes non-empty,
/// lower-case slugs without spaces, each unique and read back as its own value. `label` (the French label from
/// `maillage-messages`, when the list has one) must give every value a non-empty label.
pub fn check<T: Coded + PartialEq + std::fmt::Debug>(
    label: Option<&dyn Fn(T) -> String>,
) -> Result<(), String> {
    for (i, v) in T::ALL.iter().enumerate() {
        let code = v.code();
        if code.is_empty() || code.chars().any(|c| c.is_whitespace() || c.is_uppercase()) {
            return Err(format!("{v:?}: code {code:?} is not a lower-case slug"));
        }
        if T::ALL[..i].iter().any(|w| w.code() == code) {
            return Err(format!("{v:?}: code {code:?} is used twice"));
        }
        if T::parse(code) != Some(*v) {
            return Err(format!("{v:?}: code {code:?} does not read back"));
        }
        if let Some(label) = label
            && label(*v).trim().is_empty()
        {
            return Err(format!("{v:?}: no label"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::coded! {
        pub enum Colour { Red => "rouge", Blue => "bleu", }
    }

    #[test]
    fn a_declared_list_reads_back_parses_lists_and_serialises_as_codes() {
        assert_eq!(
            check::<Colour>(Some(&|c: Colour| c.code().to_string())),
            Ok(())
        );
        assert_eq!(
            parse_list::<Colour>("bleu, rouge|bleu"),
            Ok(vec![Colour::Red, Colour::Blue])
        );
        assert_eq!(parse_list::<Colour>("vert"), Err("vert"));
        assert_eq!(join(&[Colour::Red, Colour::Blue]), "rouge|bleu");
        assert_eq!(
            serde_json::to_string(&Colour::Blue).ok().as_deref(),
            Some("\"bleu\"")
        );
    }
}
