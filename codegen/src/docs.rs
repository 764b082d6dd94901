//! typify documents types but leaves enum variants, `$ref` fields and some
//! items without docs; this pass gives each public one a short doc, so the
//! crate can `#![warn(missing_docs)]` without exempting generated code.

use std::collections::BTreeSet;

use syn::{parse_quote, Attribute, Fields, Item, Visibility};

pub(crate) fn add_missing_docs(file: &mut syn::File) {
    let local_types = local_type_names(&file.items);
    describe_by_use(&mut file.items, &local_types);
    document_items(&mut file.items, &local_types);
}

/// How many places a type's doc lists before it says how many more.
const USES_LISTED: usize = 6;

/// A type whose doc only spells its name (typify's doc for an untitled
/// definition: `` `TaskVm` ``, or "An enumeration.") is described by where
/// it is used instead: "Used in [`TaskConfig::vm`]."
fn describe_by_use(items: &mut [Item], local_types: &BTreeSet<String>) {
    let mut uses: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for item in items.iter() {
        let mut note = |ty: &syn::Type, place: String| {
            if let Some(name) = referenced_type(ty, local_types) {
                uses.entry(name).or_default().push(place);
            }
        };
        match item {
            Item::Struct(owner) => {
                if let Fields::Named(fields) = &owner.fields {
                    for field in fields.named.iter().filter(|f| is_public(&f.vis)) {
                        if let Some(ident) = &field.ident {
                            note(&field.ty, format!("{}::{ident}", owner.ident));
                        }
                    }
                }
            }
            Item::Enum(owner) => {
                for variant in &owner.variants {
                    if let Some(field) = variant.fields.iter().next() {
                        note(&field.ty, format!("{}::{}", owner.ident, variant.ident));
                    }
                }
            }
            _ => {}
        }
    }
    for item in items {
        let (attrs, ident) = match item {
            Item::Struct(item) => (&mut item.attrs, &item.ident),
            Item::Enum(item) => (&mut item.attrs, &item.ident),
            _ => continue,
        };
        let Some(places) = uses.get(&ident.to_string()) else {
            continue;
        };
        let text = doc_text(attrs);
        if text != format!("`{ident}`") && text != "An enumeration." {
            continue;
        }
        let mut listed: Vec<String> = places
            .iter()
            .take(USES_LISTED)
            .map(|place| format!("[`{place}`]"))
            .collect();
        if places.len() > USES_LISTED {
            listed.push(format!("{} more", places.len() - USES_LISTED));
        }
        let doc = format!("Used in {}.", listed.join(", "));
        attrs.retain(|a| !a.path().is_ident("doc"));
        attrs.insert(0, parse_quote!(#[doc = #doc]));
    }
}

/// The text of an item's doc attributes, joined and trimmed.
fn doc_text(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

fn document_items(items: &mut [Item], local_types: &BTreeSet<String>) {
    for item in items {
        match item {
            Item::Struct(item) => {
                document_if_public(&mut item.attrs, &item.vis, &item.ident);
                if let Fields::Named(fields) = &mut item.fields {
                    for field in &mut fields.named {
                        if is_public(&field.vis) && !has_doc(&field.attrs) {
                            let name = serde_rename(&field.attrs)
                                .or_else(|| field.ident.as_ref().map(|i| i.to_string()))
                                .unwrap_or_default();
                            let doc = match referenced_type(&field.ty, local_types) {
                                Some(ty) => format!("`{name}`: see [`{ty}`]."),
                                None => format!("`{name}`."),
                            };
                            field.attrs.insert(0, parse_quote!(#[doc = #doc]));
                        }
                    }
                }
            }
            Item::Enum(item) => {
                document_if_public(&mut item.attrs, &item.vis, &item.ident);
                for variant in &mut item.variants {
                    if !has_doc(&variant.attrs) {
                        let doc = format!(
                            "`{}`",
                            serde_rename(&variant.attrs)
                                .unwrap_or_else(|| variant.ident.to_string())
                        );
                        variant.attrs.insert(0, parse_quote!(#[doc = #doc]));
                    }
                }
            }
            Item::Mod(item) => {
                document_if_public(&mut item.attrs, &item.vis, &item.ident);
                if let Some((_, items)) = &mut item.content {
                    document_items(items, local_types);
                }
            }
            Item::Fn(item) => document_if_public(&mut item.attrs, &item.vis, &item.sig.ident),
            Item::Const(item) => document_if_public(&mut item.attrs, &item.vis, &item.ident),
            Item::Type(item) => document_if_public(&mut item.attrs, &item.vis, &item.ident),
            _ => {}
        }
    }
}

fn document_if_public(attrs: &mut Vec<Attribute>, vis: &Visibility, ident: &syn::Ident) {
    if is_public(vis) && !has_doc(attrs) {
        let doc = format!("`{ident}`");
        attrs.insert(0, parse_quote!(#[doc = #doc]));
    }
}

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

/// The `rename` of a `#[serde(rename = "...")]`: the name on the wire.
/// Also read by the xtask's drift report, which matches fields by it.
pub fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // Other serde options are skipped: only the name matters here.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    rename
}

/// Names of the types this file defines, for links from field docs.
fn local_type_names(items: &[Item]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => Some(item.ident.to_string()),
            Item::Enum(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The first type in `ty` (e.g. `T` in `Option<T>`) that this file defines.
fn referenced_type(ty: &syn::Type, local_types: &BTreeSet<String>) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last()?;
    let name = segment.ident.to_string();
    if local_types.contains(&name) {
        return Some(name);
    }
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => referenced_type(ty, local_types),
        _ => None,
    })
}

/// What a property's schema says about it: its description, else its title
/// unless the title only spells the name in words (`"Job Id"` for
/// `job_id`, as the doc's generator titles every field).
pub fn property_text<'a>(
    name: &str,
    property: &'a serde_json::Map<String, serde_json::Value>,
) -> Option<&'a str> {
    if let Some(description) = property
        .get("description")
        .and_then(serde_json::Value::as_str)
    {
        return Some(description);
    }
    let title = property.get("title").and_then(serde_json::Value::as_str)?;
    let words = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    (words(title) != words(name)).then_some(title)
}

#[cfg(test)]
mod property_text_tests {
    use serde_json::json;

    use super::property_text;

    #[test]
    fn a_title_that_spells_the_name_says_nothing() {
        let text = |name: &str, p: serde_json::Value| {
            property_text(name, p.as_object().unwrap()).map(str::to_owned)
        };
        assert_eq!(text("job_id", json!({"title": "Job Id"})), None);
        assert_eq!(
            text(
                "monitoringGCSAccount",
                json!({"title": "Monitoringgcsaccount"})
            ),
            None
        );
        assert_eq!(
            text(
                "preserve_existing_outputs",
                json!({"title": "Overwrite Output Container"})
            )
            .as_deref(),
            Some("Overwrite Output Container")
        );
        assert_eq!(
            text(
                "job_id",
                json!({"title": "Job Id", "description": "The job."})
            )
            .as_deref(),
            Some("The job.")
        );
    }
}
