use super::*;

fn api(source: &str) -> Api {
    Api::parse(source).unwrap()
}

/// Each change as `(item, text, class)`.
fn changes(old: &str, new: &str) -> Vec<(String, String, Bump)> {
    diff(&api(old), &api(new))
        .into_iter()
        .map(|c| (c.item.clone(), c.text(), c.class))
        .collect()
}

fn one(item: &str, text: &str, class: Bump) -> (String, String, Bump) {
    (item.to_owned(), text.to_owned(), class)
}

#[test]
fn reads_fields_variants_traits_and_members_as_normalized_text() {
    let api = api(r#"
        /// Details.
        #[derive(::serde::Deserialize, Clone)]
        #[serde(deny_unknown_fields)]
        pub struct Details {
            #[serde(rename = "type")]
            pub type_: Kind,
            pub env: ::std::option::Option<::std::collections::BTreeMap<::std::string::String, i64>>,
            secret: u8,
        }
        #[non_exhaustive]
        pub enum Kind {
            #[serde(rename = "libfuzzer_fuzz")]
            LibfuzzerFuzz,
            Other(::std::boxed::Box<Details>),
        }
        impl Kind {
            pub const KNOWN: &'static [Kind] = &[];
            pub fn known(name: &str) -> ::std::option::Option<Self> { None }
            fn hidden(&self) {}
        }
        pub struct Code(i64);
        impl ::std::ops::Deref for Code {
            type Target = i64;
            fn deref(&self) -> &i64 { &self.0 }
        }
        impl ::std::str::FromStr for Code {
            type Err = <i64 as ::std::str::FromStr>::Err;
            fn from_str(value: &str) -> Result<Self, Self::Err> { todo!() }
        }
        impl ::std::convert::TryFrom<i64> for Code {
            type Error = self::error::ConversionError;
            fn try_from(value: i64) -> Result<Self, Self::Error> {
                if ![450_i64, -1_i64].contains(&value) { Err("invalid".into()) } else { Ok(Self(value)) }
            }
        }
        pub mod error {
            pub struct ConversionError(::std::borrow::Cow<'static, str>);
        }
        struct Private;
    "#);
    let names: Vec<&str> = api.items.keys().map(String::as_str).collect();
    assert_eq!(names, ["Code", "Details", "Kind", "error::ConversionError"]);

    let details = &api.items["Details"];
    assert_eq!(details.kind, Kind::Struct);
    assert!(details.private_fields);
    assert_eq!(details.serde, "serde(deny_unknown_fields)");
    assert_eq!(
        details.traits,
        BTreeSet::from(["Clone".into(), "Deserialize".into()])
    );
    let fields: Vec<(&str, &str, bool, &str)> = details
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.as_str(), f.optional, f.wire.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("type_", "Kind", false, "type"),
            ("env", "Option<BTreeMap<String, i64>>", true, "env"),
        ]
    );

    let kind = &api.items["Kind"];
    assert!(kind.non_exhaustive);
    let variants: Vec<(&str, &str, &str)> = kind
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.payload.as_str(), v.wire.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            ("LibfuzzerFuzz", "", "libfuzzer_fuzz"),
            ("Other", "(Box<Details>)", "Other"),
        ]
    );
    let members: Vec<(&str, &str)> = kind
        .members
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        members,
        [
            ("KNOWN", "const KNOWN: &'static [Kind]"),
            ("known", "fn known(name: &str) -> Option<Self>"),
        ]
    );

    let code = &api.items["Code"];
    assert!(code.private_fields);
    assert_eq!(code.fields, []);
    assert_eq!(
        code.traits,
        BTreeSet::from([
            "Deref<Target = i64>".into(),
            "FromStr<Err = <i64 as FromStr>::Err>".into(),
            "TryFrom<i64, Error = ConversionError>".into()
        ])
    );
    assert_eq!(code.accepted, ["450", "-1"]);
}

#[test]
fn identical_apis_have_no_changes() {
    let source = "pub struct A { pub x: i64 } pub enum B { C }";
    assert_eq!(changes(source, source), []);
}

/// What typify makes of `minimum: 1` on an integer, and of `minimum: 0`.
#[test]
fn a_bound_that_changes_a_field_type_is_major() {
    let old = "pub struct TaskDetails {
        pub duration: i64,
        pub check_retry_count: ::std::option::Option<i64>,
        pub target_timeout: ::std::option::Option<i64>,
    }";
    let new = "pub struct TaskDetails {
        pub duration: ::std::num::NonZeroU64,
        pub check_retry_count: ::std::option::Option<u64>,
        pub target_timeout: ::std::option::Option<i64>,
    }";
    assert_eq!(
        changes(old, new),
        [
            one(
                "TaskDetails",
                "`duration`: type `i64` → `NonZeroU64`",
                Bump::Major
            ),
            one(
                "TaskDetails",
                "`check_retry_count`: type `Option<i64>` → `Option<u64>`",
                Bump::Major
            ),
        ]
    );
}

#[test]
fn option_added_or_removed_is_major() {
    let old = "pub struct A { pub upn: String, pub ping_id: Option<Uuid> }";
    let new = "pub struct A { pub upn: Option<String>, pub ping_id: Uuid }";
    assert_eq!(
        changes(old, new),
        [
            one("A", "`upn`: type `String` → `Option<String>`", Bump::Major),
            one("A", "`ping_id`: type `Option<Uuid>` → `Uuid`", Bump::Major),
        ]
    );
}

#[test]
fn a_new_variant_is_minor_only_in_a_non_exhaustive_enum() {
    let old = "#[non_exhaustive] pub enum Event { Ping } pub enum TaskType { Fuzz }";
    let new = "#[non_exhaustive] pub enum Event { Ping, JobCreated(Box<Job>) }
               pub enum TaskType { Fuzz, #[serde(rename = \"coverage\")] Coverage }";
    assert_eq!(
        changes(old, new),
        [
            one("Event", "new variant `JobCreated(Box<Job>)`", Bump::Minor),
            one("TaskType", "new variant `Coverage`", Bump::Major),
        ]
    );
    let added = diff(&api(old), &api(new));
    assert_eq!(added[1].wire.as_deref(), Some("coverage"));
}

#[test]
fn a_new_field_is_major_only_when_required_in_a_struct_users_build() {
    let old = "pub struct Open { pub a: i64 }
               #[non_exhaustive] pub struct Closed { pub a: i64 }
               pub struct Sealed { pub a: i64, b: i64 }";
    let new = "pub struct Open { pub a: i64, pub id: Uuid, pub note: Option<String> }
               #[non_exhaustive] pub struct Closed { pub a: i64, pub id: Uuid }
               pub struct Sealed { pub a: i64, b: i64, pub id: Uuid }";
    assert_eq!(
        changes(old, new),
        [
            one("Closed", "new field `id: Uuid`", Bump::Minor),
            one("Open", "new field `id: Uuid`", Bump::Major),
            one("Open", "new field `note: Option<String>`", Bump::Minor),
            one("Sealed", "new field `id: Uuid`", Bump::Minor),
        ]
    );
}

/// A newtype whose field becomes public: users could not build it before,
/// so the field is an addition, not a break.
#[test]
fn a_field_made_public_in_a_struct_users_could_not_build_is_minor() {
    let old = "pub struct ErrorCode(i64);";
    let new = "pub struct ErrorCode(pub i64);";
    assert_eq!(
        changes(old, new),
        [one("ErrorCode", "new field `0: i64`", Bump::Minor)]
    );
}

#[test]
fn removed_items_fields_and_variants_are_major_new_items_minor() {
    let old = "pub struct Error { pub code: ErrorCode }
               pub struct ErrorCode(i64);
               pub enum State { Init, Done }";
    let new = "pub struct Error { pub code: i64 }
               pub enum State { Init }
               pub struct Job { pub id: Uuid }";
    assert_eq!(
        changes(old, new),
        [
            one("Error", "`code`: type `ErrorCode` → `i64`", Bump::Major),
            one("ErrorCode", "struct removed", Bump::Major),
            one("State", "variant `Done` removed", Bump::Major),
            one("Job", "new struct", Bump::Minor),
        ]
    );
}

/// The envelope's reference names the new type where it named the old
/// one: one rename, then what changed inside it; neither a removal, an
/// addition, nor the reference's own change.
#[test]
fn a_rename_is_reported_once() {
    let old = "
        #[derive(Default)]
        pub struct WebhookEventPing { pub ping_id: Option<Uuid> }
        pub enum WebhookEvent { Ping(Box<WebhookEventPing>) }
        impl From<WebhookEventPing> for WebhookEvent { fn from(e: WebhookEventPing) -> Self { todo!() } }";
    let new = "
        pub struct EventPing { pub ping_id: Uuid }
        pub enum WebhookEvent { Ping(Box<EventPing>) }
        impl From<EventPing> for WebhookEvent { fn from(e: EventPing) -> Self { todo!() } }";
    assert_eq!(
        changes(old, new),
        [
            one("EventPing", "renamed from `WebhookEventPing`", Bump::Major),
            one(
                "EventPing",
                "`ping_id`: type `Option<Uuid>` → `Uuid`",
                Bump::Major
            ),
            one("EventPing", "no longer implements `Default`", Bump::Major),
        ]
    );
}

#[test]
fn an_unreferenced_rename_is_found_by_shape_when_only_one_pair_fits() {
    let old =
        "/// `TaskPool`\npub struct TaskPool { pub count: i64 } pub struct Gone { pub x: u8 }";
    let new = "/// `Pool`\npub struct Pool { pub count: i64 } pub struct Fresh { pub y: u8 }";
    assert_eq!(
        changes(old, new),
        [
            one("Gone", "struct removed", Bump::Major),
            one("Pool", "renamed from `TaskPool`", Bump::Major),
            one("Fresh", "new struct", Bump::Minor),
        ]
    );
    // Two removed items of one shape: no guess.
    let old = "pub struct A { pub x: u8 } pub struct B { pub x: u8 }";
    let new = "pub struct C { pub x: u8 }";
    let found = changes(old, new);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found.iter().all(|c| !c.1.starts_with("renamed")),
        "{found:?}"
    );
}

#[test]
fn docs_only_changes_are_patches() {
    let old = "/// Old.\npub struct A { /// Field.\npub x: i64 } pub enum E { /// One.\nOne }";
    let new = "/// New.\npub struct A { /// Field, again.\npub x: i64 } pub enum E { One }";
    assert_eq!(
        changes(old, new),
        [
            one("A", "docs changed", Bump::Patch),
            one("A", "docs of `x` changed", Bump::Patch),
            one("E", "docs of `One` changed", Bump::Patch),
        ]
    );
}

#[test]
fn accepted_values_json_names_and_non_exhaustive_are_compared() {
    let validating = |values: &str| {
        format!(
            "pub struct Code(i64);
             impl TryFrom<i64> for Code {{
                 type Error = String;
                 fn try_from(v: i64) -> Result<Self, String> {{ if ![{values}].contains(&v) {{ todo!() }} todo!() }}
             }}"
        )
    };
    let old =
        validating("450_i64, 451_i64") + "pub struct A { #[serde(rename = \"a\")] pub a_: u8 }";
    let new = validating("451_i64, 472_i64")
        + "#[non_exhaustive] pub struct A { #[serde(rename = \"A\")] pub a_: u8 }";
    assert_eq!(
        changes(&old, &new),
        [
            one("A", "now `#[non_exhaustive]`", Bump::Major),
            one("A", "`a_`: JSON name `a` → `A`", Bump::Major),
            one("Code", "no longer accepts `450`", Bump::Major),
            one("Code", "accepts `472`", Bump::Minor),
        ]
    );
}

/// Impls written inside `const _: () = { ... };` (next to private helper
/// types) are impls of the public type: a derive replaced by them is no
/// change, and the helpers are not API.
#[test]
fn impls_in_an_anonymous_const_count_as_the_types_own() {
    let derived = r#"
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
        pub struct Event { pub id: i64 }
    "#;
    let by_hand = r#"
        #[derive(Clone)]
        pub struct Event { pub id: i64 }
        const _: () = {
            pub struct Helper;
            impl<'de> ::serde::Deserialize<'de> for Event {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> { todo!() }
            }
            impl ::serde::Serialize for Event {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { todo!() }
            }
        };
    "#;
    assert_eq!(changes(derived, by_hand), Vec::new());
    assert_eq!(api(by_hand).items.keys().collect::<Vec<_>>(), ["Event"]);
}

/// An open integer enum lists its known values in `KNOWN`: a value added
/// there is reported as newly known (minor), as a `TryFrom` list's is.
#[test]
fn a_value_added_to_known_is_a_minor_change() {
    let source = |values: &str| {
        format!(
            "pub struct Code(i64);
            impl Code {{ pub const KNOWN: &'static [i64] = &[{values}]; }}"
        )
    };
    let found = changes(
        &source("450_i64, 451_i64"),
        &source("450_i64, 451_i64, 452_i64"),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Code");
    assert_eq!(found[0].2, Bump::Minor);
    assert!(found[0].1.contains("452"), "{found:?}");
}

/// A value's name is an associated const: a new one is minor; one removed,
/// renamed or given another value breaks code that uses it.
#[test]
fn value_name_consts_are_compared_with_their_values() {
    let code = |consts: &str| {
        format!(
            "pub struct Code(i64);
             impl Code {{
                 {consts}
                 pub const KNOWN: &'static [i64] = &[1, 2];
             }}"
        )
    };
    let one_two = code("pub const ONE: Code = Code(1); pub const TWO: Code = Code(2);");
    let cases = [
        (
            "a new name",
            code("pub const ONE: Code = Code(1);"),
            one_two.clone(),
            vec![one("Code", "new `const TWO: Code = Code(2)`", Bump::Minor)],
        ),
        (
            "a removed name",
            one_two.clone(),
            code("pub const ONE: Code = Code(1);"),
            vec![one(
                "Code",
                "`const TWO: Code = Code(2)` removed",
                Bump::Major,
            )],
        ),
        (
            "a renamed value",
            one_two.clone(),
            code("pub const ONE: Code = Code(1); pub const DEUX: Code = Code(2);"),
            vec![
                one("Code", "`const TWO: Code = Code(2)` removed", Bump::Major),
                one("Code", "new `const DEUX: Code = Code(2)`", Bump::Minor),
            ],
        ),
        (
            "a name moved to another value",
            one_two.clone(),
            code("pub const ONE: Code = Code(2); pub const TWO: Code = Code(1);"),
            vec![
                one(
                    "Code",
                    "`const ONE: Code = Code(1)` → `const ONE: Code = Code(2)`",
                    Bump::Major,
                ),
                one(
                    "Code",
                    "`const TWO: Code = Code(2)` → `const TWO: Code = Code(1)`",
                    Bump::Major,
                ),
            ],
        ),
    ];
    for (what, old, new, expected) in cases {
        assert_eq!(changes(&old, &new), expected, "{what}");
    }
    assert_eq!(changes(&one_two, &one_two), [], "unchanged");
}
