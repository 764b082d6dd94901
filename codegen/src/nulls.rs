//! An optional field that a sender wrote as `null` is read as absent, and
//! re-serializing must write the `null` back (the C# service writes every
//! absent field so). Each struct with optional fields gets a `nulls` record
//! of which of them arrived as `null`, and its serde impls go through two
//! private wire structs: one that reads an optional field as "absent, null
//! or a value", and one that writes it back that way. The wire structs are
//! serde derives over the same fields and attributes, so field names, error
//! messages and paths are those of the derive on the public struct.

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, GenericArgument, Item, ItemStruct, Meta, PathArguments, Token, Type};

use crate::Error;

const FIELD: &str = "nulls";
/// What typify writes on an optional field.
const SKIP_IF_NONE: &str = "::std::option::Option::is_none";
/// The record is a `u64` bit set.
const MAX_OPTIONAL: usize = 64;

pub(crate) fn record_nulls(file: &mut syn::File) -> Result<(), Error> {
    let mut items = Vec::with_capacity(file.items.len());
    for item in std::mem::take(&mut file.items) {
        match item {
            Item::Struct(item) if is_serde_struct(&item) => {
                let fields = fields_of(&item)?;
                if fields.iter().any(|f| f.optional.is_some()) {
                    let wire = wire_impls(&item, &fields);
                    items.push(Item::Struct(public_struct(item)));
                    items.push(syn::parse2(wire).map_err(|e| {
                        Error::Typify(format!("the null record's code does not parse: {e}"))
                    })?);
                } else {
                    items.push(Item::Struct(item));
                }
            }
            other => items.push(other),
        }
    }
    file.items = items;
    Ok(())
}

/// One field of a struct, as the wire structs need it.
struct WireField {
    ident: syn::Ident,
    ty: Type,
    /// `#[cfg]` attributes, repeated on every use of the field.
    cfgs: Vec<Attribute>,
    /// The field's serde attributes but `skip_serializing_if`.
    serde: Vec<Meta>,
    /// For an optional field: its index in the record and the type inside
    /// the `Option`.
    optional: Option<(u32, Type)>,
}

fn is_serde_struct(item: &ItemStruct) -> bool {
    matches!(item.fields, Fields::Named(_))
        && item.attrs.iter().any(|attr| {
            attr.path().is_ident("derive")
                && quote::ToTokens::to_token_stream(attr)
                    .to_string()
                    .contains("Deserialize")
        })
        && !serde_metas(&item.attrs)
            .iter()
            .any(|meta| meta.path().is_ident("transparent"))
}

fn fields_of(item: &ItemStruct) -> Result<Vec<WireField>, Error> {
    let Fields::Named(named) = &item.fields else {
        return Ok(Vec::new());
    };
    let mut fields = Vec::new();
    let mut optional = 0;
    for field in &named.named {
        let ident = field.ident.clone().expect("named field");
        if ident == FIELD {
            return Err(Error::Typify(format!(
                "`{}` has a property named `{FIELD}`, which the null record needs",
                item.ident
            )));
        }
        let metas = serde_metas(&field.attrs);
        let skips_none = metas.iter().any(|meta| {
            matches!(meta, Meta::NameValue(nv) if nv.path.is_ident("skip_serializing_if")
                && quote::ToTokens::to_token_stream(&nv.value).to_string().replace(' ', "")
                    == format!("\"{SKIP_IF_NONE}\""))
        });
        let inner = option_inner(&field.ty).filter(|_| skips_none);
        let index = match inner {
            Some(inner) => {
                if optional == MAX_OPTIONAL {
                    return Err(Error::Typify(format!(
                        "`{}` has more than {MAX_OPTIONAL} optional fields, more than the null record holds",
                        item.ident
                    )));
                }
                optional += 1;
                Some((optional as u32 - 1, inner.clone()))
            }
            None => None,
        };
        fields.push(WireField {
            ident,
            ty: field.ty.clone(),
            cfgs: field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("cfg"))
                .cloned()
                .collect(),
            serde: metas
                .into_iter()
                .filter(|meta| index.is_none() || !meta.path().is_ident("skip_serializing_if"))
                .collect(),
            optional: index,
        });
    }
    Ok(fields)
}

/// Every item inside the struct's `#[serde(...)]` attributes.
fn serde_metas(attrs: &[Attribute]) -> Vec<Meta> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("serde"))
        .filter_map(|attr| {
            attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The struct without serde: its derives and attributes move to the wire
/// structs, and it gains the record.
fn public_struct(mut item: ItemStruct) -> ItemStruct {
    item.attrs.retain(|attr| !attr.path().is_ident("serde"));
    for attr in &mut item.attrs {
        if attr.path().is_ident("derive") {
            if let Ok(paths) =
                attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            {
                let kept = paths.into_iter().filter(|path| {
                    !path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "Serialize" || s.ident == "Deserialize")
                });
                *attr = syn::parse_quote! { #[derive(#(#kept),*)] };
            }
        }
    }
    if let Fields::Named(named) = &mut item.fields {
        for field in &mut named.named {
            field.attrs.retain(|attr| !attr.path().is_ident("serde"));
        }
        named.named.push(syn::parse_quote! {
            /// Which optional fields arrived as an explicit `null`, so that
            /// re-serializing writes them back. `Nulls::default()` for a value
            /// built in code.
            pub nulls: crate::Nulls
        });
    }
    item
}

fn wire_impls(item: &ItemStruct, fields: &[WireField]) -> TokenStream {
    let name = &item.ident;
    let mut container = serde_metas(&item.attrs);
    if !container.iter().any(|meta| meta.path().is_ident("rename")) {
        // Error messages name the public struct, as its derive would.
        let text = name.to_string();
        container.push(syn::parse_quote! { rename = #text });
    }
    let serde = |metas: &[Meta]| {
        if metas.is_empty() {
            quote! {}
        } else {
            quote! { #[serde(#(#metas),*)] }
        }
    };
    let mut read = Vec::new();
    let mut write = Vec::new();
    let mut from_wire = Vec::new();
    let mut to_wire = Vec::new();
    for field in fields {
        let WireField {
            ident, ty, cfgs, ..
        } = field;
        let attrs = serde(&field.serde);
        match &field.optional {
            None => {
                read.push(quote! { #(#cfgs)* #attrs #ident: #ty, });
                write.push(quote! { #(#cfgs)* #attrs #ident: &'a #ty, });
                from_wire.push(quote! { #(#cfgs)* #ident: wire.#ident, });
                to_wire.push(quote! { #(#cfgs)* #ident: &self.#ident, });
            }
            Some((index, inner)) => {
                let metas = &field.serde;
                read.push(quote! {
                    #(#cfgs)*
                    #[serde(default, deserialize_with = "crate::nulls::present" #(, #metas)*)]
                    #ident: ::std::option::Option<::std::option::Option<#inner>>,
                });
                write.push(quote! {
                    #(#cfgs)*
                    #[serde(skip_serializing_if = "crate::nulls::Field::is_absent" #(, #metas)*)]
                    #ident: crate::nulls::Field<'a, #inner>,
                });
                from_wire.push(quote! { #(#cfgs)* #ident: nulls.take(#index, wire.#ident), });
                to_wire.push(quote! { #(#cfgs)* #ident: self.nulls.field(#index, &self.#ident), });
            }
        }
    }
    // serde's messages name a struct by its Rust ident, not its rename:
    // without this one would say "expected struct Read".
    let expecting = format!("struct {name}");
    quote! {
        const _: () = {
            #[derive(::serde::Deserialize)]
            #[serde(#(#container,)* expecting = #expecting)]
            struct Read {
                #(#read)*
            }
            #[derive(::serde::Serialize)]
            #[serde(#(#container),*)]
            struct Write<'a> {
                #(#write)*
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let wire = <Read as ::serde::Deserialize>::deserialize(crate::nulls::MapOnly(deserializer))?;
                    let mut nulls = crate::Nulls::default();
                    ::std::result::Result::Ok(Self {
                        #(#from_wire)*
                        nulls,
                    })
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    ::serde::Serialize::serialize(&Write { #(#to_wire)* }, serializer)
                }
            }
        };
    }
}
