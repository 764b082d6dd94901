//! With feature `preserve-unknown-fields`, every generated struct keeps the
//! fields its schema does not name in a flattened `extra` map. The field is
//! added after typify, behind `cfg`, so one generated file serves both builds.

use syn::{parse_quote, Fields, Item};

use crate::Error;

const FIELD: &str = "extra";

pub(crate) fn add_extra_fields(file: &mut syn::File) -> Result<(), Error> {
    for item in &mut file.items {
        let Item::Struct(item) = item else { continue };
        let Fields::Named(fields) = &mut item.fields else {
            continue;
        };
        if !derives_deserialize(&item.attrs) {
            continue;
        }
        if fields
            .named
            .iter()
            .any(|f| f.ident.as_ref().is_some_and(|i| i == FIELD))
        {
            return Err(Error::Typify(format!(
                "`{}` has a property named `{FIELD}`, which the unknown-field map needs",
                item.ident
            )));
        }
        fields.named.push(parse_quote! {
            /// Fields the schema does not name, kept so that re-serializing loses nothing.
            #[cfg(feature = "preserve-unknown-fields")]
            #[serde(flatten)]
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>
        });
    }
    Ok(())
}

fn derives_deserialize(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && quote::ToTokens::to_token_stream(attr)
                .to_string()
                .contains("Deserialize")
    })
}
