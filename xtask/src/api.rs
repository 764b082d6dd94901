//! The public API of a generated Rust file, read with `syn`, and the
//! changes between two of them, each classified by semver for a user of
//! the crate: code that names its types, matches on them or builds them,
//! and the messages it parses.
//!
//! Classes are read off the Rust code that typify generated, not guessed
//! from schema keywords: a `minimum` that turns `i64` into `NonZeroU64` is a
//! changed field type, a `maximum` that changes no type changes nothing here.
//!
//! * **Major**: an item, field, variant, trait impl or associated item
//!   removed; an item renamed or turned into another kind of item; a field
//!   type or variant payload changed — `i64` → `NonZeroU64` or `u64`, and
//!   `T` → `Option<T>` as much as `Option<T>` → `T`, since reading the field
//!   (`x.len()` vs `x.as_ref().map(..)`), matching it and building the struct
//!   all stop compiling; a field's or variant's JSON name changed (old
//!   messages no longer parse); serde container attributes changed; a value
//!   a validating newtype accepted no longer accepted; a new required field
//!   in a struct users can build (all fields public, not `#[non_exhaustive]`):
//!   struct literals break and messages without it no longer parse; a new
//!   variant in an exhaustive enum (exhaustive `match`es break);
//!   `#[non_exhaustive]` added.
//! * **Minor**: a new item, trait impl, associated item or accepted value;
//!   a new variant in a `#[non_exhaustive]` enum; a new optional field (or
//!   any new field of a struct users cannot build): messages keep parsing
//!   and code reading fields keeps compiling (struct literals outside the
//!   crate do need the field, which the report notes); `#[non_exhaustive]`
//!   removed.
//! * **Patch**: docs only.
//!
//! A removed item and an added one are a rename when a type that both
//! APIs have refers to the old name where it referred to the new one
//! (`Ping(Box<WebhookEventPing>)` → `Ping(Box<EventPing>)`), or else when
//! they are the only pair with the same shape (kind, fields, variants,
//! serde attributes). A rename is one change, and the references it
//! explains are not reported again.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use serde::Serialize;
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

use crate::codegen::serde_rename;

/// The bump a release needs; ordered, so the largest of several is the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// Public items by path (`TaskDetails`, `error::ConversionError`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Api {
    pub items: BTreeMap<String, ApiItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Struct,
    Enum,
    TypeAlias,
    Const,
    Fn,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Self::Struct => "struct",
            Self::Enum => "enum",
            Self::TypeAlias => "type alias",
            Self::Const => "const",
            Self::Fn => "fn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiItem {
    pub kind: Kind,
    pub docs: String,
    pub non_exhaustive: bool,
    /// The item's own `#[serde(...)]` attributes (`transparent`, `untagged`, ...).
    pub serde: String,
    /// Public fields; a tuple struct's are named `0`, `1`, ...
    pub fields: Vec<Field>,
    /// Whether some field is not public, so users cannot build the struct.
    pub private_fields: bool,
    pub variants: Vec<Variant>,
    /// A type alias's `= T`, a const's `: T`, a function's signature.
    pub signature: String,
    /// Derived and implemented traits, with their arguments and associated
    /// types (`TryFrom<i64, Error = ConversionError>`).
    pub traits: BTreeSet<String>,
    /// Public associated consts and functions of inherent impls, by name.
    pub members: BTreeMap<String, String>,
    /// The literal values a `TryFrom` impl checks its input against (the
    /// values of an integer enum); empty when it has no such list.
    pub accepted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: String,
    /// Normalized: paths cut to their last segment (`Option<Vec<String>>`).
    pub ty: String,
    pub optional: bool,
    /// The JSON name: the serde rename, or the Rust name.
    pub wire: String,
    pub docs: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub name: String,
    /// `""`, `(Box<EventPing>)` or `{ a: T }`, normalized like field types.
    pub payload: String,
    pub wire: String,
    pub docs: String,
}

impl Api {
    /// Reads the public API of a Rust file.
    pub fn parse(source: &str) -> syn::Result<Self> {
        let file = syn::parse_file(source)?;
        let mut api = Self::default();
        api.read(&file.items, "");
        Ok(api)
    }

    fn read(&mut self, items: &[Item], module: &str) {
        for item in items {
            let (name, read) = match item {
                Item::Struct(s) if public(&s.vis) => (&s.ident, struct_item(s)),
                Item::Enum(e) if public(&e.vis) => (&e.ident, enum_item(e)),
                Item::Type(t) if public(&t.vis) => {
                    let signature = format!("= {}", text(t.ty.to_token_stream()));
                    (&t.ident, simple(Kind::TypeAlias, &t.attrs, signature))
                }
                Item::Const(c) if public(&c.vis) => {
                    let signature = format!(": {}", text(c.ty.to_token_stream()));
                    (&c.ident, simple(Kind::Const, &c.attrs, signature))
                }
                Item::Fn(f) if public(&f.vis) => {
                    let signature = text(f.sig.to_token_stream());
                    (&f.sig.ident, simple(Kind::Fn, &f.attrs, signature))
                }
                Item::Mod(m) if public(&m.vis) => {
                    if let Some((_, inner)) = &m.content {
                        self.read(inner, &path(module, &m.ident.to_string()));
                    }
                    continue;
                }
                _ => continue,
            };
            self.items.insert(path(module, &name.to_string()), read);
        }
        for item in items {
            match item {
                Item::Impl(block) => self.read_impl(block, module),
                // `const _: () = { ... };` holds impls of public types next
                // to private helpers (the null record's wire structs).
                Item::Const(c) if c.ident == "_" => {
                    if let syn::Expr::Block(block) = &*c.expr {
                        for stmt in &block.block.stmts {
                            match stmt {
                                syn::Stmt::Item(Item::Impl(block)) => self.read_impl(block, module),
                                syn::Stmt::Item(Item::Struct(wire)) => {
                                    self.read_wire_names(wire, module)
                                }
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A private struct that serde reads or writes in place of public item
    /// `X` says so with `#[serde(rename = "X")]`; the JSON names of `X`'s
    /// fields are the ones it gives them.
    fn read_wire_names(&mut self, wire: &syn::ItemStruct, module: &str) {
        let Some(item) =
            serde_rename(&wire.attrs).and_then(|name| self.items.get_mut(&path(module, &name)))
        else {
            return;
        };
        for field in &wire.fields {
            let (Some(ident), Some(rename)) = (&field.ident, serde_rename(&field.attrs)) else {
                continue;
            };
            if let Some(public) = item.fields.iter_mut().find(|f| *ident == f.name) {
                public.wire = rename;
            }
        }
    }

    fn read_impl(&mut self, block: &syn::ItemImpl, module: &str) {
        let own = text(block.self_ty.to_token_stream());
        let Some(item) = [path(module, &own), own]
            .into_iter()
            .find_map(|key| self.items.contains_key(&key).then_some(key))
            .and_then(|key| self.items.get_mut(&key))
        else {
            return;
        };
        match &block.trait_ {
            Some((trait_path, _)) => {
                let name = trait_text(trait_path, &block.items);
                if name.starts_with("TryFrom<") {
                    let mut values = Vec::new();
                    literal_lists(block.to_token_stream(), &mut values);
                    item.accepted.extend(values);
                }
                item.traits.insert(name);
            }
            None => {
                for member in &block.items {
                    let (name, signature) = match member {
                        ImplItem::Const(c) if public(&c.vis) => {
                            let ty = text(c.ty.to_token_stream());
                            // An open integer enum lists its values here,
                            // compared as the values it accepts; any other
                            // const (a value's name) means its value, so a
                            // changed value changes its signature.
                            let signature = if c.ident == "KNOWN" {
                                literal_lists(c.expr.to_token_stream(), &mut item.accepted);
                                format!("const {}: {ty}", c.ident)
                            } else {
                                let value = text(c.expr.to_token_stream());
                                format!("const {}: {ty} = {value}", c.ident)
                            };
                            (c.ident.to_string(), signature)
                        }
                        ImplItem::Fn(f) if public(&f.vis) => {
                            (f.sig.ident.to_string(), text(f.sig.to_token_stream()))
                        }
                        _ => continue,
                    };
                    item.members.insert(name, signature);
                }
            }
        }
    }
}

fn path(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn docs(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| a.meta.to_token_stream().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_attr(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

/// An item with attributes and nothing else read yet.
fn simple(kind: Kind, attrs: &[Attribute], signature: String) -> ApiItem {
    let mut traits = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let parsed = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        );
        for derived in parsed.into_iter().flatten() {
            if let Some(last) = derived.segments.last() {
                traits.insert(last.ident.to_string());
            }
        }
    }
    let serde = attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .map(|a| text(a.meta.to_token_stream()))
        .collect::<Vec<_>>()
        .join(", ");
    ApiItem {
        kind,
        docs: docs(attrs),
        non_exhaustive: has_attr(attrs, "non_exhaustive"),
        serde,
        fields: Vec::new(),
        private_fields: false,
        variants: Vec::new(),
        signature,
        traits,
        members: BTreeMap::new(),
        accepted: Vec::new(),
    }
}

fn struct_item(s: &syn::ItemStruct) -> ApiItem {
    let mut item = simple(Kind::Struct, &s.attrs, String::new());
    for (i, field) in s.fields.iter().enumerate() {
        if !public(&field.vis) {
            item.private_fields = true;
            continue;
        }
        let name = field
            .ident
            .as_ref()
            .map_or_else(|| i.to_string(), ToString::to_string);
        let ty = text(field.ty.to_token_stream());
        item.fields.push(Field {
            wire: serde_rename(&field.attrs).unwrap_or_else(|| name.clone()),
            optional: ty.starts_with("Option<"),
            name,
            ty,
            docs: docs(&field.attrs),
        });
    }
    item
}

fn enum_item(e: &syn::ItemEnum) -> ApiItem {
    let mut item = simple(Kind::Enum, &e.attrs, String::new());
    item.variants = e
        .variants
        .iter()
        .map(|v| {
            let name = v.ident.to_string();
            Variant {
                wire: serde_rename(&v.attrs).unwrap_or_else(|| name.clone()),
                name,
                payload: match &v.fields {
                    Fields::Unit => String::new(),
                    fields => text(fields.to_token_stream()),
                },
                docs: docs(&v.attrs),
            }
        })
        .collect();
    item
}

/// `Deserialize` for `::serde::Deserialize<'de>` (lifetimes dropped, so a
/// derive and a hand-written impl read the same), with the associated types
/// of the impl: `Deref<Target = i64>`.
fn trait_text(trait_path: &syn::Path, items: &[ImplItem]) -> String {
    let Some(last) = trait_path.segments.last() else {
        return String::new();
    };
    let mut args: Vec<String> = match &last.arguments {
        syn::PathArguments::AngleBracketed(list) => list
            .args
            .iter()
            .filter(|a| !matches!(a, syn::GenericArgument::Lifetime(_)))
            .map(|a| text(a.to_token_stream()))
            .collect(),
        _ => Vec::new(),
    };
    args.extend(items.iter().filter_map(|member| match member {
        ImplItem::Type(t) => Some(format!("{} = {}", t.ident, text(t.ty.to_token_stream()))),
        _ => None,
    }));
    if args.is_empty() {
        last.ident.to_string()
    } else {
        format!("{}<{}>", last.ident, args.join(", "))
    }
}

/// Every `[lit, lit, ...]` in `tokens`, as the literals' values (`450`, not
/// `450_i64`; a string without its quotes).
fn literal_lists(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        let TokenTree::Group(group) = tree else {
            continue;
        };
        let mut values = Vec::new();
        let mut sign = "";
        let mut only_literals = group.delimiter() == Delimiter::Bracket;
        for token in group.stream() {
            match token {
                TokenTree::Punct(p) if p.as_char() == ',' => {}
                TokenTree::Punct(p) if p.as_char() == '-' => sign = "-",
                TokenTree::Literal(lit) => {
                    values.push(format!("{sign}{}", literal_value(&lit)));
                    sign = "";
                }
                _ => {
                    only_literals = false;
                    break;
                }
            }
        }
        if only_literals && !values.is_empty() {
            out.extend(values);
        } else {
            literal_lists(group.stream(), out);
        }
    }
}

fn literal_value(lit: &proc_macro2::Literal) -> String {
    match syn::Lit::new(lit.clone()) {
        syn::Lit::Str(s) => s.value(),
        syn::Lit::Int(i) => i.base10_digits().to_owned(),
        other => other.to_token_stream().to_string(),
    }
}

/// Tokens as compact text, every path cut to its last segment:
/// `::std::option::Option<::std::vec::Vec<T>>` → `Option<Vec<T>>`,
/// `fn known(name: &str) -> Option<Self>`.
pub fn text(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_text(tokens, &mut out);
    out
}

fn write_text(tokens: TokenStream, out: &mut String) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let is_path_sep = |i: usize| {
        matches!((trees.get(i), trees.get(i + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
    };
    // `dyn ::a::B`, `<T as ::a::B>`: keywords are not path segments
    // (`self`, `super` and `crate` are).
    let segment = |i: usize| match &trees[i] {
        TokenTree::Ident(ident) => !matches!(
            ident.to_string().as_str(),
            "as" | "dyn" | "impl" | "mut" | "const" | "for" | "in" | "where" | "fn" | "unsafe"
        ),
        _ => false,
    };
    let mut i = 0;
    while i < trees.len() {
        // `a::b::C` and `::a::C`: keep only the last segment; but `::`
        // after `>` (`<T as Trait>::Item`) is kept.
        if is_path_sep(i) {
            if out.ends_with('>') {
                out.push_str("::");
            }
            i += 2;
            continue;
        }
        if segment(i) && is_path_sep(i + 1) {
            i += 3;
            continue;
        }
        let word = |c: char| c.is_alphanumeric() || c == '_';
        match &trees[i] {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if out.ends_with(word) {
                    out.push(' ');
                }
                out.push_str(&trees[i].to_string());
            }
            TokenTree::Punct(p) => match p.as_char() {
                ',' | ';' => {
                    out.push(p.as_char());
                    out.push(' ');
                }
                ':' => out.push_str(": "),
                '=' | '+' if p.spacing() == Spacing::Alone && !out.ends_with('-') => {
                    out.push(' ');
                    out.push(p.as_char());
                    out.push(' ');
                }
                '-' if p.spacing() == Spacing::Joint => out.push_str(" -"),
                '>' if out.ends_with(" -") => out.push_str("> "),
                // prettyplease ends a generic list it broke over lines with a comma.
                '>' => {
                    if out.ends_with(", ") {
                        out.truncate(out.len() - 2);
                    }
                    out.push('>');
                }
                c => out.push(c),
            },
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                if matches!(open, "{ " | "[") && out.ends_with(word) {
                    out.push(' ');
                }
                out.push_str(open);
                write_text(group.stream(), out);
                let trimmed = out.trim_end_matches(' ').len();
                out.truncate(trimmed);
                out.push_str(close);
            }
        }
        i += 1;
    }
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
}

/// One change of the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiChange {
    /// The item's path; for a rename, the new one.
    pub item: String,
    /// The field, variant, trait, associated item or value changed, in Rust.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The member's JSON name (a field's or variant's serde name, a value),
    /// which schema changes name it by.
    #[serde(skip)]
    pub wire: Option<String>,
    #[serde(flatten)]
    pub kind: ApiChangeKind,
    pub class: Bump,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ApiChangeKind {
    ItemAdded { kind: Kind },
    ItemRemoved { kind: Kind },
    ItemRenamed { old: String },
    KindChanged { old: Kind, new: Kind },
    SignatureChanged { old: String, new: String },
    SerdeChanged { old: String, new: String },
    NonExhaustiveChanged { now: bool },
    FieldAdded { ty: String, optional: bool },
    FieldRemoved { ty: String },
    FieldTypeChanged { old: String, new: String },
    JsonNameChanged { old: String, new: String },
    VariantAdded { payload: String },
    VariantRemoved { payload: String },
    VariantPayloadChanged { old: String, new: String },
    TraitAdded,
    TraitRemoved,
    MemberAdded { signature: String },
    MemberRemoved { signature: String },
    MemberChanged { old: String, new: String },
    ValueAccepted,
    ValueRejected,
    DocsChanged,
}

impl ApiChange {
    /// What changed, in words; names are in backticks.
    pub fn text(&self) -> String {
        use ApiChangeKind as K;
        let m = self.member.as_deref().unwrap_or_default();
        match &self.kind {
            K::ItemAdded { kind } => format!("new {}", kind.word()),
            K::ItemRemoved { kind } => format!("{} removed", kind.word()),
            K::ItemRenamed { old } => format!("renamed from `{old}`"),
            K::KindChanged { old, new } => {
                format!("changed from a {} to a {}", old.word(), new.word())
            }
            K::SignatureChanged { old, new } | K::MemberChanged { old, new } => {
                format!("`{old}` → `{new}`")
            }
            K::SerdeChanged { old, new } => format!("serde attributes `{old}` → `{new}`"),
            K::NonExhaustiveChanged { now: true } => "now `#[non_exhaustive]`".to_owned(),
            K::NonExhaustiveChanged { now: false } => "no longer `#[non_exhaustive]`".to_owned(),
            K::FieldAdded { ty, .. } => format!("new field `{m}: {ty}`"),
            K::FieldRemoved { ty } => format!("field `{m}: {ty}` removed"),
            K::FieldTypeChanged { old, new } => format!("`{m}`: type `{old}` → `{new}`"),
            K::JsonNameChanged { old, new } => format!("`{m}`: JSON name `{old}` → `{new}`"),
            K::VariantAdded { payload } => format!("new variant `{m}{payload}`"),
            K::VariantRemoved { payload } => format!("variant `{m}{payload}` removed"),
            K::VariantPayloadChanged { old, new } => format!("variant `{m}`: `{old}` → `{new}`"),
            K::TraitAdded => format!("now implements `{m}`"),
            K::TraitRemoved => format!("no longer implements `{m}`"),
            K::MemberAdded { signature } => format!("new `{signature}`"),
            K::MemberRemoved { signature } => format!("`{signature}` removed"),
            K::ValueAccepted => format!("accepts `{m}`"),
            K::ValueRejected => format!("no longer accepts `{m}`"),
            K::DocsChanged if m.is_empty() => "docs changed".to_owned(),
            K::DocsChanged => format!("docs of `{m}` changed"),
        }
    }

    /// For changes that come in numbers, the plural that several of them
    /// on one item can be summarised under.
    pub fn plural(&self) -> Option<&'static str> {
        use ApiChangeKind as K;
        Some(match &self.kind {
            K::FieldAdded { .. } => "new fields",
            K::FieldRemoved { .. } => "fields removed",
            K::VariantAdded { .. } => "new variants",
            K::VariantRemoved { .. } => "variants removed",
            K::TraitAdded => "new trait impls",
            K::TraitRemoved => "trait impls removed",
            K::MemberAdded { .. } => "new associated items",
            K::MemberRemoved { .. } => "associated items removed",
            K::ValueAccepted => "values newly accepted",
            K::ValueRejected => "values no longer accepted",
            K::DocsChanged => "docs changed",
            _ => return None,
        })
    }
}

/// Renamed items, old name → new name.
type Renames = BTreeMap<String, String>;

/// The changes from `old` to `new`, classified as the module doc says.
pub fn diff(old: &Api, new: &Api) -> Vec<ApiChange> {
    let renames = renames(old, new);
    let mut out = Changes(Vec::new());
    for (name, before) in &old.items {
        if let Some(after) = new.items.get(name) {
            out.item(name, before, after, &renames);
        } else if let Some(to) = renames.get(name) {
            let kind = ApiChangeKind::ItemRenamed { old: name.clone() };
            out.push(to, None, None, kind, Bump::Major);
            out.item(to, before, &new.items[to], &renames);
        } else {
            let kind = ApiChangeKind::ItemRemoved { kind: before.kind };
            out.push(name, None, None, kind, Bump::Major);
        }
    }
    let renamed: BTreeSet<&String> = renames.values().collect();
    for (name, after) in &new.items {
        if !old.items.contains_key(name) && !renamed.contains(name) {
            let kind = ApiChangeKind::ItemAdded { kind: after.kind };
            out.push(name, None, None, kind, Bump::Minor);
        }
    }
    out.0
}

/// Identifier runs and single other characters.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let word = |c: char| c.is_alphanumeric() || c == '_';
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let next_is_word = text[end..].chars().next().is_some_and(word);
        if !word(c) || !next_is_word {
            out.push(&text[start..end]);
            start = end;
        }
    }
    out
}

/// `text` with each renamed identifier replaced by its new name.
fn substitute(text: &str, renames: &Renames) -> String {
    if renames.is_empty() {
        return text.to_owned();
    }
    tokens(text)
        .into_iter()
        .map(|t| renames.get(t).map_or(t, String::as_str))
        .collect()
}

/// The type texts of an item that can refer to other items, by position.
fn references(item: &ApiItem) -> BTreeMap<String, &str> {
    let fields = item.fields.iter().map(|f| (f.name.clone(), f.ty.as_str()));
    let variants = item
        .variants
        .iter()
        .map(|v| (format!("variant {}", v.name), v.payload.as_str()));
    let members = item
        .members
        .iter()
        .map(|(n, s)| (format!("member {n}"), s.as_str()));
    fields
        .chain(variants)
        .chain(members)
        .chain([("signature".to_owned(), item.signature.as_str())])
        .collect()
}

/// The names of `api`'s items that `other` does not have.
fn only_in<'a>(api: &'a Api, other: &Api) -> BTreeSet<&'a str> {
    api.items
        .keys()
        .filter(|n| !other.items.contains_key(*n))
        .map(String::as_str)
        .collect()
}

fn renames(old: &Api, new: &Api) -> Renames {
    let (removed, added) = (only_in(old, new), only_in(new, old));
    // A surviving item whose reference changed from a removed name to an
    // added one, the rest of the text unchanged.
    let mut seen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, before) in &old.items {
        let Some(after) = new.items.get(name) else {
            continue;
        };
        let after_refs = references(after);
        for (position, a) in references(before) {
            let Some(b) = after_refs.get(&position) else {
                continue;
            };
            let (ta, tb) = (tokens(a), tokens(b));
            if ta.len() != tb.len() {
                continue;
            }
            for (x, y) in ta.into_iter().zip(tb).filter(|(x, y)| x != y) {
                if removed.contains(x) && added.contains(y) {
                    seen.entry(x).or_default().insert(y);
                }
            }
        }
    }
    // A name seen going to two new names, or two names to one: no rename.
    let mut onto: BTreeMap<&str, usize> = BTreeMap::new();
    for to in seen.values().filter(|to| to.len() == 1).flatten() {
        *onto.entry(to).or_default() += 1;
    }
    let mut renames: Renames = seen
        .into_iter()
        .filter_map(|(from, to)| match Vec::from_iter(to).as_slice() {
            [only] if onto[only] == 1 => Some((from.to_owned(), (*only).to_owned())),
            _ => None,
        })
        .collect();
    // Otherwise the only pair with one shape.
    let unpaired = |names: &BTreeSet<&str>, taken: &dyn Fn(&str) -> bool| -> Vec<String> {
        names
            .iter()
            .filter(|n| !taken(n))
            .map(|n| (*n).to_owned())
            .collect()
    };
    let targets: BTreeSet<String> = renames.values().cloned().collect();
    let gone = unpaired(&removed, &|n| renames.contains_key(n));
    let fresh = unpaired(&added, &|n| targets.contains(n));
    let shape_renames: Vec<(String, String)> = gone
        .iter()
        .filter_map(|r| {
            let mut candidates = fresh
                .iter()
                .filter(|n| same_shape(&old.items[r], &new.items[*n], &renames));
            let only = candidates.next().filter(|_| candidates.next().is_none())?;
            let rivals = gone
                .iter()
                .filter(|o| same_shape(&old.items[*o], &new.items[only], &renames))
                .count();
            (rivals == 1).then(|| (r.clone(), only.clone()))
        })
        .collect();
    renames.extend(shape_renames);
    renames
}

fn same_shape(a: &ApiItem, b: &ApiItem, renames: &Renames) -> bool {
    let fields = |i: &ApiItem, sub: bool| -> Vec<(String, String, String)> {
        i.fields
            .iter()
            .map(|f| {
                let ty = if sub {
                    substitute(&f.ty, renames)
                } else {
                    f.ty.clone()
                };
                (f.name.clone(), ty, f.wire.clone())
            })
            .collect()
    };
    let variants = |i: &ApiItem| -> Vec<(String, String, String)> {
        i.variants
            .iter()
            .map(|v| {
                (
                    v.name.clone(),
                    substitute(&v.payload, renames),
                    v.wire.clone(),
                )
            })
            .collect()
    };
    a.kind == b.kind
        && a.serde == b.serde
        && a.non_exhaustive == b.non_exhaustive
        && a.private_fields == b.private_fields
        && a.accepted == b.accepted
        && substitute(&a.signature, renames) == b.signature
        && fields(a, true) == fields(b, false)
        && variants(a) == variants(b)
}

struct Changes(Vec<ApiChange>);

impl Changes {
    fn push(
        &mut self,
        item: &str,
        member: Option<&str>,
        wire: Option<&str>,
        kind: ApiChangeKind,
        class: Bump,
    ) {
        self.0.push(ApiChange {
            item: item.to_owned(),
            member: member.map(str::to_owned),
            wire: wire.map(str::to_owned),
            kind,
            class,
        });
    }

    /// An item that both APIs have (perhaps under a new name).
    fn item(&mut self, name: &str, a: &ApiItem, b: &ApiItem, renames: &Renames) {
        use ApiChangeKind as K;
        let sub = |text: &str| substitute(text, renames);
        if a.kind != b.kind {
            let kind = K::KindChanged {
                old: a.kind,
                new: b.kind,
            };
            return self.push(name, None, None, kind, Bump::Major);
        }
        if sub(&a.signature) != b.signature {
            let kind = K::SignatureChanged {
                old: a.signature.clone(),
                new: b.signature.clone(),
            };
            self.push(name, None, None, kind, Bump::Major);
        }
        if a.serde != b.serde {
            let kind = K::SerdeChanged {
                old: a.serde.clone(),
                new: b.serde.clone(),
            };
            self.push(name, None, None, kind, Bump::Major);
        }
        if a.non_exhaustive != b.non_exhaustive {
            let class = if b.non_exhaustive {
                Bump::Major
            } else {
                Bump::Minor
            };
            let kind = K::NonExhaustiveChanged {
                now: b.non_exhaustive,
            };
            self.push(name, None, None, kind, class);
        }
        if sub(&a.docs) != b.docs {
            self.push(name, None, None, K::DocsChanged, Bump::Patch);
        }
        self.fields(name, a, b, &sub);
        self.variants(name, a, b, &sub);
        self.traits(name, a, b, &sub);
        self.members(name, a, b, &sub);
        if !a.accepted.is_empty() && !b.accepted.is_empty() {
            for value in a.accepted.iter().filter(|v| !b.accepted.contains(v)) {
                self.push(
                    name,
                    Some(value),
                    Some(value),
                    K::ValueRejected,
                    Bump::Major,
                );
            }
            for value in b.accepted.iter().filter(|v| !a.accepted.contains(v)) {
                self.push(
                    name,
                    Some(value),
                    Some(value),
                    K::ValueAccepted,
                    Bump::Minor,
                );
            }
        }
    }

    fn fields(&mut self, name: &str, a: &ApiItem, b: &ApiItem, sub: &dyn Fn(&str) -> String) {
        use ApiChangeKind as K;
        for old in &a.fields {
            let at = (Some(old.name.as_str()), Some(old.wire.as_str()));
            let Some(new) = b.fields.iter().find(|f| f.name == old.name) else {
                let kind = K::FieldRemoved { ty: old.ty.clone() };
                self.push(name, at.0, at.1, kind, Bump::Major);
                continue;
            };
            if sub(&old.ty) != new.ty {
                let kind = K::FieldTypeChanged {
                    old: old.ty.clone(),
                    new: new.ty.clone(),
                };
                self.push(name, at.0, Some(&new.wire), kind, Bump::Major);
            }
            if old.wire != new.wire {
                let kind = K::JsonNameChanged {
                    old: old.wire.clone(),
                    new: new.wire.clone(),
                };
                self.push(name, at.0, Some(&new.wire), kind, Bump::Major);
            }
            if sub(&old.docs) != new.docs {
                self.push(name, at.0, Some(&new.wire), K::DocsChanged, Bump::Patch);
            }
        }
        // Whether users could build the struct: if not, no code of theirs
        // has a literal that a new field breaks.
        let constructible = !a.non_exhaustive && !a.private_fields;
        for new in b
            .fields
            .iter()
            .filter(|f| a.fields.iter().all(|o| o.name != f.name))
        {
            let class = if constructible && !new.optional {
                Bump::Major
            } else {
                Bump::Minor
            };
            let kind = K::FieldAdded {
                ty: new.ty.clone(),
                optional: new.optional,
            };
            self.push(name, Some(&new.name), Some(&new.wire), kind, class);
        }
    }

    fn variants(&mut self, name: &str, a: &ApiItem, b: &ApiItem, sub: &dyn Fn(&str) -> String) {
        use ApiChangeKind as K;
        for old in &a.variants {
            let at = Some(old.name.as_str());
            let Some(new) = b.variants.iter().find(|v| v.name == old.name) else {
                let kind = K::VariantRemoved {
                    payload: old.payload.clone(),
                };
                self.push(name, at, Some(&old.wire), kind, Bump::Major);
                continue;
            };
            if sub(&old.payload) != new.payload {
                let kind = K::VariantPayloadChanged {
                    old: old.payload.clone(),
                    new: new.payload.clone(),
                };
                self.push(name, at, Some(&new.wire), kind, Bump::Major);
            }
            if old.wire != new.wire {
                let kind = K::JsonNameChanged {
                    old: old.wire.clone(),
                    new: new.wire.clone(),
                };
                self.push(name, at, Some(&new.wire), kind, Bump::Major);
            }
            if sub(&old.docs) != new.docs {
                self.push(name, at, Some(&new.wire), K::DocsChanged, Bump::Patch);
            }
        }
        let class = if b.non_exhaustive {
            Bump::Minor
        } else {
            Bump::Major
        };
        for new in b
            .variants
            .iter()
            .filter(|v| a.variants.iter().all(|o| o.name != v.name))
        {
            let kind = K::VariantAdded {
                payload: new.payload.clone(),
            };
            self.push(name, Some(&new.name), Some(&new.wire), kind, class);
        }
    }

    fn traits(&mut self, name: &str, a: &ApiItem, b: &ApiItem, sub: &dyn Fn(&str) -> String) {
        let old: BTreeSet<String> = a.traits.iter().map(|t| sub(t)).collect();
        for gone in old.difference(&b.traits) {
            let kind = ApiChangeKind::TraitRemoved;
            self.push(name, Some(gone), None, kind, Bump::Major);
        }
        for added in b.traits.difference(&old) {
            let kind = ApiChangeKind::TraitAdded;
            self.push(name, Some(added), None, kind, Bump::Minor);
        }
    }

    fn members(&mut self, name: &str, a: &ApiItem, b: &ApiItem, sub: &dyn Fn(&str) -> String) {
        use ApiChangeKind as K;
        for (member, old) in &a.members {
            let (kind, class) = match b.members.get(member) {
                None => (
                    K::MemberRemoved {
                        signature: old.clone(),
                    },
                    Bump::Major,
                ),
                Some(new) if sub(old) != *new => (
                    K::MemberChanged {
                        old: old.clone(),
                        new: new.clone(),
                    },
                    Bump::Major,
                ),
                Some(_) => continue,
            };
            self.push(name, Some(member), None, kind, class);
        }
        for (member, new) in b
            .members
            .iter()
            .filter(|(m, _)| !a.members.contains_key(*m))
        {
            let kind = K::MemberAdded {
                signature: new.clone(),
            };
            self.push(name, Some(member), None, kind, Bump::Minor);
        }
    }
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
