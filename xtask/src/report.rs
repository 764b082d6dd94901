//! The drift report: how a new doc revision changes the generated Rust API,
//! each change classified by semver ([`crate::api`]) and explained by the
//! schema changes behind it ([`crate::drift`]), matched by type and field
//! (or variant, or value) name. A schema change that no API change matches
//! changed no Rust type, so it is a patch, reported with its own words.
//!
//! Text layout: the verdict with counts per class on the first line, then
//! the changes grouped by Rust type (types with major changes first), one
//! line each, wrapped so no line exceeds [`WIDTH`] columns; many changes of
//! one kind on one type (variants added, trait impls added) share a line.

use std::collections::BTreeMap;
use std::fmt::{self, Display, Formatter};

use serde::Serialize;

use crate::api::{self, Api, ApiChange, ApiChangeKind, Bump};
use crate::drift::{self, Change, ChangeKind, SchemaSet};
use crate::files::{self, FileSet};
use crate::json_diff::child;

/// No line of the report is wider than this many columns.
pub const WIDTH: usize = 100;

/// How many changes of each class the report holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub major: usize,
    pub minor: usize,
    pub patch: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The bump the next release needs: the largest class of any change.
    pub verdict: Bump,
    pub counts: Counts,
    pub items: Vec<Entry>,
}

/// One change, to one Rust item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub class: Bump,
    /// The Rust type; for a change that changed no Rust type, the type the
    /// schema's subject is generated as (or the subject itself).
    pub item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// What changed, in words.
    pub change: String,
    /// The API change; none when only the schema changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiChange>,
    /// The schema changes behind it.
    pub explanation: Vec<Explanation>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub text: String,
    #[serde(flatten)]
    pub schema: Change,
}

/// The report from the disk as `files::sync` found it (`before`: its
/// `schemas/` and `src/generated.rs`) to the plan (`new` and the planned
/// generated code); `Err` says why there is none.
pub fn between(before: &FileSet, planned: &FileSet, new: &SchemaSet) -> Result<Report, String> {
    let old = files::schema_set(before).ok_or("no previous schemas/: no drift report")?;
    let code = |set: &FileSet, which: &str| -> Result<Api, String> {
        let bytes = set
            .get(std::path::Path::new(files::GENERATED))
            .ok_or_else(|| format!("no {which} {}: no drift report", files::GENERATED))?;
        Api::parse(&String::from_utf8_lossy(bytes)).map_err(|e| {
            format!(
                "{which} {} does not parse ({e}): no drift report",
                files::GENERATED
            )
        })
    };
    let old_api = code(before, "previous")?;
    let new_api = code(planned, "planned")?;
    Ok(report(&old, new, &old_api, &new_api))
}

/// Classifies the API changes and attaches the schema changes to them.
pub fn report(old: &SchemaSet, new: &SchemaSet, old_api: &Api, new_api: &Api) -> Report {
    let mut items: Vec<Entry> = api::diff(old_api, new_api)
        .into_iter()
        .map(|change| Entry {
            class: change.class,
            item: change.item.clone(),
            member: change.member.clone(),
            change: change.text(),
            api: Some(change),
            explanation: Vec::new(),
        })
        .collect();
    for change in drift::changes(old, new) {
        let target = Target::of(&change);
        let mut explained = false;
        for entry in &mut items {
            if let Some(api) = entry.api.as_ref().filter(|a| target.matches(a)) {
                let mut text = schema_text(&change, api.wire.as_deref(), false);
                if key(&change.subject) != key(&api.item) {
                    text = format!("{}: {text}", change.subject);
                }
                entry.explanation.push(Explanation {
                    text,
                    schema: change.clone(),
                });
                explained = true;
            }
        }
        if !explained {
            items.push(schema_only(change, target, [new_api, old_api]));
        }
    }
    let count = |class| items.iter().filter(|e| e.class == class).count();
    Report {
        verdict: items.iter().map(|e| e.class).max().unwrap_or(Bump::None),
        counts: Counts {
            major: count(Bump::Major),
            minor: count(Bump::Minor),
            patch: count(Bump::Patch),
        },
        items,
    }
}

/// Names compared without case or separators: `task_created` is `TaskCreated`.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a schema change is about, in the API's terms.
struct Target {
    /// Keys of the types it may be generated as; empty for an event type,
    /// which is a variant of the envelope's enums.
    items: Vec<String>,
    /// The property, or enum value, as named in JSON.
    member: Option<String>,
    explains: Explains,
}

/// Which API changes a schema change can explain.
#[derive(PartialEq)]
enum Explains {
    /// A description or title: docs changes only.
    Docs,
    /// A definition added or removed: the item added or removed.
    Added,
    Removed,
    /// A renamed title: the item's rename.
    Rename,
    /// An event type: the variants of that name.
    Variants,
    /// A type's own type changed (`enum` → `integer`): anything changed in it.
    Shape,
    /// Anything else: changes of the same member (or of the item itself).
    Member,
}

impl Target {
    fn of(change: &Change) -> Self {
        let member = field_of(&change.pointer);
        let explains = match &change.kind {
            ChangeKind::DescriptionChanged => Explains::Docs,
            ChangeKind::DefinitionAdded => Explains::Added,
            ChangeKind::DefinitionRemoved => Explains::Removed,
            ChangeKind::TitleRenamed { .. } => Explains::Rename,
            ChangeKind::EventTypeAdded | ChangeKind::EventTypeRemoved => Explains::Variants,
            ChangeKind::TypeChanged { .. } if member.is_none() => Explains::Shape,
            _ => Explains::Member,
        };
        let mut target = Self {
            items: vec![key(&change.subject)],
            member,
            explains,
        };
        match &change.kind {
            ChangeKind::EventTypeAdded | ChangeKind::EventTypeRemoved => {
                target.items.clear();
                target.member = Some(key(&change.subject));
            }
            ChangeKind::TitleRenamed { old, .. } => target.items.push(key(old)),
            // A field whose type is a renamed type: the rename explains it.
            ChangeKind::TypeChanged { old, new } => target.items.extend([key(old), key(new)]),
            // The const of that name (the new one, for a renamed value).
            ChangeKind::ValueNamed { old, new, .. } => target.member = new.clone().or(old.clone()),
            ChangeKind::EnumValueAdded { value } | ChangeKind::EnumValueRemoved { value }
                if change.pointer == "/enum" =>
            {
                target.member = Some(
                    value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned),
                );
            }
            _ => {}
        }
        target
    }

    fn matches(&self, api: &ApiChange) -> bool {
        use ApiChangeKind as K;
        let renamed = |old: &str| {
            [old, &api.item]
                .iter()
                .all(|n| self.items.contains(&key(n)))
        };
        match (&self.explains, &api.kind) {
            (Explains::Variants, K::VariantAdded { .. } | K::VariantRemoved { .. }) => {
                api.member.as_deref().map(key) == self.member
            }
            (Explains::Rename | Explains::Shape | Explains::Member, K::ItemRenamed { old }) => {
                renamed(old)
            }
            (Explains::Docs, K::DocsChanged)
            | (Explains::Added, K::ItemAdded { .. })
            | (Explains::Removed, K::ItemRemoved { .. })
            | (Explains::Member, _) => {
                let member = api.wire.as_deref().or(api.member.as_deref());
                self.items.first() == Some(&key(&api.item)) && self.member.as_deref() == member
            }
            (Explains::Shape, K::DocsChanged | K::ItemAdded { .. } | K::ItemRemoved { .. }) => {
                false
            }
            (Explains::Shape, _) => self.items.first() == Some(&key(&api.item)),
            _ => false,
        }
    }
}

/// The property a pointer is in: `duration` for `/properties/duration/maximum`.
fn field_of(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/properties/")?;
    let token = rest.split('/').next()?;
    Some(token.replace("~1", "/").replace("~0", "~"))
}

/// A schema change in words; `member` is the property it is in, named
/// first when `with_member`; the pointer is added where it says more than
/// the property and the keyword.
fn schema_text(change: &Change, member: Option<&str>, with_member: bool) -> String {
    let mut rest = change.pointer.as_str();
    if let Some(m) = member {
        let prefix = child(&child("", "properties"), m);
        rest = rest.strip_prefix(prefix.as_str()).unwrap_or(rest);
    }
    // These are located at their keyword, which the text names.
    let at_keyword = matches!(
        change.kind,
        ChangeKind::KeywordChanged { .. }
            | ChangeKind::DefaultChanged { .. }
            | ChangeKind::DescriptionChanged
            | ChangeKind::TitleRenamed { .. }
            | ChangeKind::EnumValueAdded { .. }
            | ChangeKind::EnumValueRemoved { .. }
    );
    if at_keyword {
        rest = rest.rsplit_once('/').map_or("", |(head, _)| head);
    }
    // Located at `x-names/<value>`, both of which the text names.
    if matches!(change.kind, ChangeKind::ValueNamed { .. }) {
        rest = rest.rsplitn(3, '/').nth(2).unwrap_or("");
    }
    let names_field = matches!(
        change.kind,
        ChangeKind::FieldAdded { .. }
            | ChangeKind::FieldRemoved { .. }
            | ChangeKind::RequiredToOptional { .. }
            | ChangeKind::OptionalToRequired { .. }
    );
    let mut text = match member.filter(|_| with_member && !names_field) {
        Some(m) => format!("`{m}`: {}", change.kind),
        None => change.kind.to_string(),
    };
    if !rest.is_empty() {
        text.push_str(&format!(" at {rest}"));
    }
    text
}

fn schema_only(change: Change, target: Target, apis: [&Api; 2]) -> Entry {
    let item = target
        .items
        .first()
        .and_then(|k| {
            apis.iter()
                .flat_map(|api| api.items.keys())
                .find(|name| key(name) == *k)
        })
        .cloned()
        .unwrap_or_else(|| change.subject.clone());
    let text = schema_text(&change, target.member.as_deref(), true);
    Entry {
        class: Bump::Patch,
        item,
        member: target.member,
        change: format!("{text}; no Rust type changed"),
        api: None,
        explanation: vec![Explanation {
            text,
            schema: change,
        }],
    }
}

impl Report {
    /// The first line: counts per class and the bump they need.
    pub fn verdict_line(&self) -> String {
        let need = match self.verdict {
            Bump::Major => "the next release needs a major version bump",
            Bump::Minor => "the next release needs a minor version bump",
            Bump::Patch => "the next release needs a patch version bump",
            Bump::None => "no change to the Rust API or the schemas",
        };
        let Counts {
            major,
            minor,
            patch,
        } = self.counts;
        format!("Major: {major}, Minor: {minor}, Patch: {patch} — {need}")
    }
}

/// How many explanations an entry's line shows before "and N more".
const SHOWN_EXPLANATIONS: usize = 3;
/// How many changes of one kind on one type get a line each.
const SEPARATE_LINES: usize = 3;

impl Display for Report {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.verdict_line())?;
        let mut groups: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
        for entry in &self.items {
            groups.entry(&entry.item).or_default().push(entry);
        }
        // (class, sort key, heading, lines): types with major changes first.
        let mut blocks: Vec<(Bump, &str, &str, Vec<String>)> = Vec::new();
        let mut new_types = Vec::new();
        for (item, mut entries) in groups {
            let added = |e: &Entry| {
                matches!(
                    e.api.as_ref().map(|a| &a.kind),
                    Some(ApiChangeKind::ItemAdded { .. })
                )
            };
            if let [only] = entries[..] {
                if added(only) {
                    new_types.push(format!("`{item}`"));
                    continue;
                }
            }
            entries.sort_by_key(|e| std::cmp::Reverse(e.class));
            blocks.push((entries[0].class, item, item, group_lines(&entries)));
        }
        // Types that are only new: their names, all of them, under one heading.
        if !new_types.is_empty() {
            let text = format!("{} new types: {}", new_types.len(), new_types.join(", "));
            blocks.push((Bump::Minor, "", "New types", wrap("  [Minor] ", &text)));
        }
        blocks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        for (_, _, heading, lines) in blocks {
            writeln!(f, "{heading}")?;
            for line in lines {
                writeln!(f, "{line}")?;
            }
        }
        let optional_added = self.items.iter().any(|e| {
            e.class == Bump::Minor
                && matches!(
                    e.api.as_ref().map(|a| &a.kind),
                    Some(ApiChangeKind::FieldAdded { optional: true, .. })
                )
        });
        if optional_added {
            writeln!(
                f,
                "note: new optional fields are minor: messages still parse, but struct literals"
            )?;
            writeln!(f, "      outside the crate need them")?;
        }
        Ok(())
    }
}

/// The lines of one type's entries, sorted by class: one per entry, or
/// one for all entries of a class and kind when there are many.
fn group_lines(entries: &[&Entry]) -> Vec<String> {
    let plural = |e: &Entry| e.api.as_ref().and_then(ApiChange::plural);
    let mut lines = Vec::new();
    let mut done = vec![false; entries.len()];
    for (i, entry) in entries.iter().enumerate() {
        if done[i] {
            continue;
        }
        let prefix = format!("  [{:?}] ", entry.class);
        let alike: Vec<usize> = match plural(entry) {
            Some(p) => (i..entries.len())
                .filter(|j| entries[*j].class == entry.class && plural(entries[*j]) == Some(p))
                .collect(),
            None => vec![i],
        };
        if alike.len() > SEPARATE_LINES {
            let names: Vec<&str> = alike
                .iter()
                .map(|j| entries[*j].member.as_deref().unwrap_or(&entries[*j].item))
                .collect();
            let head = format!(
                "{prefix}{} {}: ",
                names.len(),
                plural(entry).unwrap_or_default()
            );
            lines.push(summary(&head, &names));
            for j in alike {
                done[j] = true;
            }
            continue;
        }
        lines.extend(wrap(&prefix, &entry_text(entry)));
    }
    lines
}

fn entry_text(entry: &Entry) -> String {
    if entry.api.is_none() || entry.explanation.is_empty() {
        return entry.change.clone();
    }
    let mut shown: Vec<&str> = entry
        .explanation
        .iter()
        .take(SHOWN_EXPLANATIONS)
        .map(|e| e.text.as_str())
        .collect();
    let more = entry.explanation.len().saturating_sub(SHOWN_EXPLANATIONS);
    let more = format!("and {more} more");
    if entry.explanation.len() > SHOWN_EXPLANATIONS {
        shown.push(&more);
    }
    format!("{} (schema: {})", entry.change, shown.join("; "))
}

/// `head` and as many of `names` as fit in one line, then how many more.
fn summary(head: &str, names: &[&str]) -> String {
    let mut line = head.to_owned();
    for (shown, name) in names.iter().enumerate() {
        let piece = match shown {
            0 => format!("`{name}`"),
            _ => format!(", `{name}`"),
        };
        let after = names.len() - shown - 1;
        let tail = match after {
            0 => 0,
            n => width(&format!(", … and {n} more")),
        };
        if shown > 0 && width(&line) + width(&piece) + tail > WIDTH {
            line.push_str(&format!(", … and {} more", names.len() - shown));
            break;
        }
        line.push_str(&piece);
    }
    truncate(&line)
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// `prefix` then `text`, wrapped at spaces into lines of at most [`WIDTH`]
/// columns; continuation lines are indented to the text.
pub fn wrap(prefix: &str, text: &str) -> Vec<String> {
    let indent = " ".repeat(width(prefix));
    let mut lines = Vec::new();
    let mut line = prefix.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && width(&line) + 1 + width(word) > WIDTH {
            lines.push(std::mem::replace(&mut line, indent.clone()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        let mut word = word;
        // A word wider than a line is cut.
        while width(&line) + width(word) > WIDTH {
            let room = WIDTH - width(&line);
            let cut = word.char_indices().nth(room).map_or(word.len(), |(i, _)| i);
            line.push_str(&word[..cut]);
            lines.push(std::mem::replace(&mut line, indent.clone()));
            word = &word[cut..];
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

/// `line` cut to [`WIDTH`] columns, ending in `…` where it was cut.
pub fn truncate(line: &str) -> String {
    if width(line) <= WIDTH {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(WIDTH - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
