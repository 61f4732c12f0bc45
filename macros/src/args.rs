//! The arguments of `#[ringio::main(...)]` and `#[ringio::test(...)]`:
//! `name = value` pairs, each checked where it is written.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit, LitInt, Meta, Token};

/// Which attribute the arguments belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Main,
    Test,
}

impl Kind {
    fn attr(self) -> &'static str {
        match self {
            Kind::Main => "#[ringio::main]",
            Kind::Test => "#[ringio::test]",
        }
    }

    fn allowed(self) -> &'static str {
        match self {
            Kind::Main => "`entries = N`, `threads = N` and `debug`",
            Kind::Test => "`entries = N`, `threads = N`, `timeout_ms = N` and `debug`",
        }
    }
}

/// The checked arguments.
#[derive(Default)]
pub(crate) struct Args {
    /// Submission queue entries of the loop's ring.
    pub(crate) entries: Option<u32>,
    /// How long a test may run, in milliseconds.
    pub(crate) timeout_ms: Option<u64>,
    /// Loops (one per thread) each running a copy of the function.
    pub(crate) threads: Option<usize>,
    /// Debug mode (`debug`, or `debug = true`).
    pub(crate) debug: bool,
}

/// Most loops `threads` may ask for.
const MAX_THREADS: usize = 1024;

/// Largest ring the kernel accepts (`IORING_MAX_ENTRIES`).
const MAX_ENTRIES: u32 = 32768;

impl Args {
    pub(crate) fn parse(kind: Kind, tokens: TokenStream) -> syn::Result<Args> {
        let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens)?;
        let mut args = Args::default();
        let mut debug_given = false;
        for meta in metas {
            let name_value = match meta {
                Meta::Path(path) if path.is_ident("debug") => {
                    if debug_given {
                        return Err(syn::Error::new_spanned(path, "`debug` is given twice"));
                    }
                    debug_given = true;
                    args.debug = true;
                    continue;
                }
                Meta::NameValue(nv) if nv.path.is_ident("debug") => {
                    if debug_given {
                        return Err(syn::Error::new_spanned(nv.path, "`debug` is given twice"));
                    }
                    debug_given = true;
                    args.debug = match &nv.value {
                        Expr::Lit(ExprLit {
                            lit: Lit::Bool(b), ..
                        }) => b.value,
                        other => {
                            return Err(syn::Error::new(
                                other.span(),
                                "expected `debug`, `debug = true` or `debug = false`",
                            ))
                        }
                    };
                    continue;
                }
                Meta::NameValue(nv) => nv,
                other => {
                    return Err(syn::Error::new_spanned(
                        &other,
                        format!(
                            "expected `name = value`; {} takes {}",
                            kind.attr(),
                            kind.allowed()
                        ),
                    ))
                }
            };
            let Some(name) = name_value.path.get_ident() else {
                return Err(unknown(kind, &name_value.path));
            };
            match name.to_string().as_str() {
                "entries" => {
                    let lit = int_literal(&name_value.value)?;
                    let n: u32 = lit.base10_parse().map_err(|_| {
                        syn::Error::new_spanned(lit, "`entries` must be between 1 and 32768")
                    })?;
                    if n == 0 || n > MAX_ENTRIES {
                        return Err(syn::Error::new_spanned(
                            lit,
                            "`entries` must be between 1 and 32768",
                        ));
                    }
                    set_once(&mut args.entries, n, name)?;
                }
                "timeout_ms" if kind == Kind::Test => {
                    let lit = int_literal(&name_value.value)?;
                    let ms: u64 = lit.base10_parse().map_err(|_| {
                        syn::Error::new_spanned(lit, "`timeout_ms` must be a whole number of milliseconds")
                    })?;
                    if ms == 0 {
                        return Err(syn::Error::new_spanned(
                            lit,
                            "`timeout_ms` must be at least 1",
                        ));
                    }
                    set_once(&mut args.timeout_ms, ms, name)?;
                }
                "timeout_ms" => {
                    return Err(syn::Error::new_spanned(
                        name,
                        "`timeout_ms` is an argument of #[ringio::test] only; a program's main has no time limit",
                    ))
                }
                "threads" => {
                    let lit = int_literal(&name_value.value)?;
                    let n: usize = lit.base10_parse().map_err(|_| {
                        syn::Error::new_spanned(lit, "`threads` must be between 1 and 1024")
                    })?;
                    if n == 0 || n > MAX_THREADS {
                        return Err(syn::Error::new_spanned(
                            lit,
                            "`threads` must be between 1 and 1024",
                        ));
                    }
                    set_once(&mut args.threads, n, name)?;
                }
                "worker_threads" | "flavor" => {
                    return Err(syn::Error::new_spanned(
                        name,
                        format!(
                            "`{name}` is tokio's; ringio has no work-stealing pool: use `threads = N` \
                             for N event loops, one per thread, each running a copy of the function"
                        ),
                    ))
                }
                _ => return Err(unknown(kind, name)),
            }
        }
        Ok(args)
    }
}

fn unknown(kind: Kind, what: &impl quote::ToTokens) -> syn::Error {
    let name = what.to_token_stream().to_string();
    syn::Error::new_spanned(
        what,
        format!(
            "unknown argument `{name}`; {} takes {}",
            kind.attr(),
            kind.allowed()
        ),
    )
}

fn int_literal(value: &Expr) -> syn::Result<&LitInt> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            "expected an integer literal, such as `256`",
        )),
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, name: &syn::Ident) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new_spanned(
            name,
            format!("`{name}` is given twice"),
        ));
    }
    *slot = Some(value);
    Ok(())
}
