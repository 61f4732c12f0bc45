//! The expansion: an `async fn` becomes a plain `fn` that builds a runtime
//! and blocks on the body.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ItemFn, LitStr};

use crate::args::{Args, Kind};

/// The expansion, or the error and a stand-in for the function, so that the
/// error is the only one reported (no "`main` function not found" after it).
pub(crate) fn expand_or_error(kind: Kind, attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand(kind, attr, item.clone()) {
        Ok(tokens) => tokens,
        Err(e) => {
            let mut out = e.into_compile_error();
            if let Ok(mut func) = syn::parse2::<ItemFn>(item) {
                func.sig.asyncness = None;
                func.sig.generics = Default::default();
                func.sig.inputs = Default::default();
                func.sig.variadic = None;
                func.attrs.retain(|a| !a.path().is_ident("test"));
                *func.block =
                    syn::parse_quote!({ ::core::unreachable!("this function did not compile") });
                out.extend(quote!(#[allow(dead_code, unreachable_code)] #func));
            }
            out
        }
    }
}

fn expand(kind: Kind, attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let args = Args::parse(kind, attr)?;
    let mut func: ItemFn = syn::parse2(item)?;
    check_signature(kind, &func)?;

    let body = &func.block;
    let entries = match args.entries {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    let entries = if args.debug {
        quote!(::ringio::macro_support::LoopConfig { entries: #entries, debug: true })
    } else {
        entries
    };
    // The body keeps its own spans, so errors inside it point at the user's
    // code; `async move` lets it return the declared type, `?` included.
    let new_body = match (kind, args.threads) {
        (Kind::Main, Some(threads)) => quote_spanned! {body.span()=>
            {
                ::ringio::macro_support::run_main_threads(#entries, #threads, |_| async move #body)
            }
        },
        (Kind::Test, Some(threads)) => {
            let name = LitStr::new(&func.sig.ident.to_string(), func.sig.ident.span());
            let timeout = match args.timeout_ms {
                Some(ms) => quote!(::core::option::Option::Some(#ms)),
                None => quote!(::core::option::Option::None),
            };
            quote_spanned! {body.span()=>
                {
                    ::ringio::macro_support::run_test_threads(#name, #entries, #timeout, #threads, |_| async move #body)
                }
            }
        }
        (Kind::Main, None) => quote_spanned! {body.span()=>
            {
                let body = async move #body;
                ::ringio::macro_support::run_main(#entries, body)
            }
        },
        (Kind::Test, None) => {
            let name = LitStr::new(&func.sig.ident.to_string(), func.sig.ident.span());
            let timeout = match args.timeout_ms {
                Some(ms) => quote!(::core::option::Option::Some(#ms)),
                None => quote!(::core::option::Option::None),
            };
            quote_spanned! {body.span()=>
                {
                    let body = async move #body;
                    ::ringio::macro_support::run_test(#name, #entries, #timeout, body)
                }
            }
        }
    };
    func.sig.asyncness = None;
    func.block = syn::parse2(new_body)?;
    let test_attr = match kind {
        Kind::Main => quote!(),
        Kind::Test => quote!(#[::core::prelude::v1::test]),
    };
    Ok(quote! {
        #test_attr
        #func
    })
}

fn check_signature(kind: Kind, func: &ItemFn) -> syn::Result<()> {
    let sig = &func.sig;
    let attr = match kind {
        Kind::Main => "#[ringio::main]",
        Kind::Test => "#[ringio::test]",
    };
    if sig.asyncness.is_none() {
        return Err(syn::Error::new_spanned(
            sig.fn_token,
            format!("{attr} goes on an `async fn`: add `async` before `fn`"),
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new_spanned(
            &sig.generics,
            format!("{attr} functions cannot be generic"),
        ));
    }
    if let Some(arg) = sig.inputs.first() {
        return Err(syn::Error::new_spanned(
            arg,
            format!("{attr} functions take no arguments"),
        ));
    }
    if let Some(v) = &sig.variadic {
        return Err(syn::Error::new_spanned(
            v,
            format!("{attr} functions take no arguments"),
        ));
    }
    if kind == Kind::Test {
        if let Some(dup) = func.attrs.iter().find(|a| a.path().is_ident("test")) {
            return Err(syn::Error::new_spanned(
                dup,
                "#[ringio::test] already makes this a test: remove this `#[test]`",
            ));
        }
    }
    Ok(())
}
