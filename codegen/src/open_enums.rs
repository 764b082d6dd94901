//! Enums inside events are open: a value that these schemas do not list (a
//! task type added by a newer OneFuzz, say) is kept as sent, not an error,
//! because a real sender's message is never bad input.
//!
//! - A string enum gains `Unknown(String)`, becomes `#[non_exhaustive]`,
//!   and loses `Copy`; its `Deserialize`, `Display`, `FromStr` and
//!   conversion impls are replaced by ones that read any string.
//! - An integer enum (a newtype over `i64` that typify validates in
//!   `TryFrom<i64>`) reads any integer; the listed values become `KNOWN`.
//! - The values a schema's `x-names` names (the senders' own names, from
//!   schemas/wire.json) become associated consts, and `name()` gives a
//!   value's name: a value without one is still read and written as sent.
//!   An integer enum and a plain integer newtype (what the join makes of an
//!   enum that a later revision leaves open) get the same items, the named
//!   values being a plain integer's `KNOWN`, so names survive the widening.

use quote::{format_ident, quote, ToTokens};
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{Fields, Item, ItemEnum, ItemImpl, Token};

use crate::Error;

const CATCH_ALL: &str = "Unknown";

/// Each definition's value names, from its `x-names`: (definition, [(value, name)]).
pub(crate) type ValueNames = Vec<(String, Vec<(i64, String)>)>;

/// The `x-names` of `definitions`, checked: each key an integer, each name
/// one that can be a Rust const.
pub(crate) fn value_names(definitions: &[(String, Value)]) -> Result<ValueNames, Error> {
    let mut all = Vec::new();
    for (definition, schema) in definitions {
        let Some(names) = schema.get("x-names") else {
            continue;
        };
        let pointer = crate::keywords::child(
            &crate::keywords::child("/definitions", definition),
            "x-names",
        );
        let bad = |message: String| Error::Schema {
            file: "(merged definitions)".into(),
            pointer: pointer.clone(),
            message,
        };
        let names = names
            .as_object()
            .ok_or_else(|| bad("not an object of value -> name".into()))?;
        let mut pairs = Vec::with_capacity(names.len());
        for (value, name) in names {
            let parsed = value.parse::<i64>().ok();
            let name = name
                .as_str()
                .and_then(|n| syn::parse_str::<syn::Ident>(n).ok());
            let (Some(value), Some(name)) = (parsed, name) else {
                return Err(bad(format!(
                    "`{value}` is not an integer named by a Rust identifier"
                )));
            };
            pairs.push((value, name.to_string()));
        }
        all.push((definition.clone(), pairs));
    }
    Ok(all)
}

pub(crate) fn open_enums(file: &mut syn::File, names: &ValueNames) -> Result<(), Error> {
    let strings: Vec<syn::Ident> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if is_string_enum(e) => Some(e.ident.clone()),
            _ => None,
        })
        .collect();
    let integers: Vec<(syn::Ident, Vec<syn::LitInt>)> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(block) => integer_enum(block),
            _ => None,
        })
        .collect();
    let plain: Vec<syn::Ident> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if is_integer_newtype(s) => Some(s.ident.clone()),
            _ => None,
        })
        .collect();
    // Names for a type that is not an integer would be lost unseen.
    for (definition, _) in names {
        let enumerated = integers.iter().any(|(name, _)| name == definition);
        if !enumerated && !plain.iter().any(|name| name == definition) {
            return Err(Error::Typify(format!(
                "`{definition}` has `x-names` but is not an integer"
            )));
        }
    }
    let mut items = Vec::with_capacity(file.items.len());
    for item in std::mem::take(&mut file.items) {
        match item {
            Item::Enum(e) if strings.contains(&e.ident) => {
                let values = string_values(&e)?;
                let added = string_impls(&e.ident, &values);
                items.push(Item::Enum(open_string_enum(e)?));
                items.extend(added);
            }
            Item::Impl(block) if replaced(&block, &strings, &integers) => {}
            Item::Struct(s) => {
                let named = names
                    .iter()
                    .find(|(definition, _)| s.ident == definition)
                    .map_or(&[][..], |(_, pairs)| pairs.as_slice());
                let added = match integers.iter().find(|(name, _)| *name == s.ident) {
                    Some((name, values)) => {
                        let values: Vec<i64> = values
                            .iter()
                            .map(syn::LitInt::base10_parse)
                            .collect::<syn::Result<_>>()
                            .map_err(|e| Error::Typify(format!("`{name}`: {e}")))?;
                        let mut added = named_impls(name, &values, named);
                        added.extend(open_integer_impls(name));
                        added
                    }
                    None if !named.is_empty() => {
                        let values: Vec<i64> = named.iter().map(|(value, _)| *value).collect();
                        named_impls(&s.ident, &values, named)
                    }
                    None => Vec::new(),
                };
                items.push(Item::Struct(s));
                items.extend(added);
            }
            other => items.push(other),
        }
    }
    file.items = items;
    Ok(())
}

/// An enum of unit variants that serde reads by name: typify's string enum.
fn is_string_enum(item: &ItemEnum) -> bool {
    derives(&item.attrs, "Deserialize")
        && !item.variants.is_empty()
        && item
            .variants
            .iter()
            .all(|v| matches!(v.fields, Fields::Unit))
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && attr
                .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
                })
    })
}

/// Each variant with the string it stands for (its serde rename, else its name).
fn string_values(item: &ItemEnum) -> Result<Vec<(syn::Ident, String)>, Error> {
    item.variants
        .iter()
        .map(|variant| {
            if variant.ident == CATCH_ALL {
                return Err(Error::Typify(format!(
                    "`{}` has a value whose variant is `{CATCH_ALL}`, the name of the variant for values it does not list",
                    item.ident
                )));
            }
            let mut value = variant.ident.to_string();
            for attr in variant.attrs.iter().filter(|a| a.path().is_ident("serde")) {
                let _ = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        value = meta.value()?.parse::<syn::LitStr>()?.value();
                    }
                    Ok(())
                });
            }
            Ok((variant.ident.clone(), value))
        })
        .collect()
}

fn open_string_enum(mut item: ItemEnum) -> Result<ItemEnum, Error> {
    for attr in &mut item.attrs {
        if attr.path().is_ident("derive") {
            let paths = attr
                .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .map_err(|e| Error::Typify(format!("`{}`: derive: {e}", item.ident)))?;
            let kept = paths.into_iter().filter(|path| {
                !path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Deserialize" || s.ident == "Copy")
            });
            *attr = syn::parse_quote! { #[derive(#(#kept),*)] };
        }
    }
    item.attrs.push(syn::parse_quote! { #[non_exhaustive] });
    let catch_all = format_ident!("{CATCH_ALL}");
    // The derived `Serialize` writes a known value as its name and this one
    // as the string it holds.
    item.variants.push(syn::parse_quote! {
        /// A value that this version of the crate does not list, kept as sent.
        #[serde(untagged)]
        #catch_all(::std::string::String)
    });
    Ok(item)
}

fn string_impls(name: &syn::Ident, values: &[(syn::Ident, String)]) -> Vec<Item> {
    let variants: Vec<&syn::Ident> = values.iter().map(|(v, _)| v).collect();
    let texts: Vec<&String> = values.iter().map(|(_, t)| t).collect();
    let expecting = format!("a {name} string");
    let file: syn::File = syn::parse_quote! {
        impl #name {
            /// The value as sent.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #texts,)*
                    Self::Unknown(value) => value,
                }
            }
            /// Whether this version of the crate lists the value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#texts => Self::#variants,)*
                    _ => Self::Unknown(value.to_owned()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#texts => Self::#variants,)*
                    _ => Self::Unknown(value),
                }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
    file.items
}

/// `impl TryFrom<i64> for X` that accepts a list of literals: typify's
/// integer enum `X`, with its values.
fn integer_enum(block: &ItemImpl) -> Option<(syn::Ident, Vec<syn::LitInt>)> {
    let (trait_path, _) = block.trait_.as_ref()?;
    let last = trait_path.segments.last()?;
    if last.ident != "TryFrom" || !last.arguments.to_token_stream().to_string().contains("i64") {
        return None;
    }
    let syn::Type::Path(own) = &*block.self_ty else {
        return None;
    };
    let ident = own.path.segments.last()?.ident.clone();
    let mut values = Vec::new();
    int_literals(block.to_token_stream(), &mut values);
    (!values.is_empty()).then_some((ident, values))
}

fn int_literals(tokens: proc_macro2::TokenStream, out: &mut Vec<syn::LitInt>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Group(group) => int_literals(group.stream(), out),
            proc_macro2::TokenTree::Literal(literal) => {
                if let Ok(syn::Lit::Int(int)) = syn::parse2::<syn::Lit>(literal.into_token_stream())
                {
                    out.push(int);
                }
            }
            _ => {}
        }
    }
}

/// The impls that the open versions replace.
fn replaced(
    block: &ItemImpl,
    strings: &[syn::Ident],
    integers: &[(syn::Ident, Vec<syn::LitInt>)],
) -> bool {
    let syn::Type::Path(own) = &*block.self_ty else {
        return false;
    };
    let Some(own) = own.path.segments.last().map(|s| &s.ident) else {
        return false;
    };
    let Some((trait_path, _)) = &block.trait_ else {
        return false;
    };
    let Some(trait_name) = trait_path.segments.last().map(|s| s.ident.to_string()) else {
        return false;
    };
    if strings.contains(own) {
        ["Display", "FromStr", "TryFrom"].contains(&trait_name.as_str())
    } else if integers.iter().any(|(name, _)| name == own) {
        ["TryFrom", "Deserialize"].contains(&trait_name.as_str())
    } else {
        false
    }
}

/// `struct X(pub i64)`: typify's newtype for a plain integer definition.
fn is_integer_newtype(item: &syn::ItemStruct) -> bool {
    let Fields::Unnamed(fields) = &item.fields else {
        return false;
    };
    let mut fields = fields.unnamed.iter();
    match (fields.next(), fields.next()) {
        (Some(field), None) => matches!(&field.ty, syn::Type::Path(p) if p.path.is_ident("i64")),
        _ => false,
    }
}

/// `KNOWN`, `is_known()`, and for named values a const each and `name()`.
fn named_impls(name: &syn::Ident, values: &[i64], named: &[(i64, String)]) -> Vec<Item> {
    let consts = named.iter().map(|(value, text)| {
        let ident = format_ident!("{text}");
        let doc = format!("`{value}`, named `{text}` by the senders.");
        let literal = proc_macro2::Literal::i64_unsuffixed(*value);
        quote! {
            #[doc = #doc]
            pub const #ident: #name = #name(#literal);
        }
    });
    // Only a type with names gets `name()`: for another it would always be `None`.
    let lookup = (!named.is_empty()).then(|| {
        let numbers = named
            .iter()
            .map(|(value, _)| proc_macro2::Literal::i64_unsuffixed(*value));
        let texts = named.iter().map(|(_, text)| text);
        let doc = format!(
            "The senders' name of the value, `None` for one they did not name. \
             An `i64` field that holds such a value reads as one with `{name}::from(value)`."
        );
        quote! {
            #[doc = #doc]
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                match self.0 {
                    #(#numbers => ::std::option::Option::Some(#texts),)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    });
    let values = values
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(*v));
    let file: syn::File = syn::parse_quote! {
        impl #name {
            #(#consts)*
            /// The values that this version of the crate lists.
            pub const KNOWN: &'static [i64] = &[#(#values),*];
            /// Whether this version of the crate lists the value.
            pub fn is_known(&self) -> bool {
                Self::KNOWN.contains(&self.0)
            }
            #lookup
        }
    };
    file.items
}

/// What typify's validating impls of an integer enum gave way to: any
/// integer converts and reads.
fn open_integer_impls(name: &syn::Ident) -> Vec<Item> {
    let file: syn::File = syn::parse_quote! {
        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                Self(value)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self)
            }
        }
    };
    file.items
}
