//! Unit tests of the expansion: snapshots of the three seed endpoints (formatted with
//! prettyplease, compared with `tests/expand/*.rs`; `UPDATE_EXPECT=1` rewrites them), and the
//! errors of broken declarations.

use expect_test::{ExpectFile, expect_file};
use proc_macro2::TokenStream;
use quote::quote;

use crate::expand;

enum Decl {
    Endpoint(TokenStream, TokenStream),
    Model(TokenStream),
}

/// Expands each declaration and formats the whole.
fn expand_all(decls: Vec<Decl>) -> String {
    let mut out = TokenStream::new();
    for decl in decls {
        let expanded = match decl {
            Decl::Endpoint(args, item) => expand::endpoint(args, item),
            Decl::Model(item) => expand::model(TokenStream::new(), item),
        };
        match expanded {
            Ok(tokens) => out.extend(tokens),
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    let file: syn::File = syn::parse2(out).expect("the expansion parses as a file");
    prettyplease::unparse(&file)
}

fn check(expected: ExpectFile, decls: Vec<Decl>) {
    expected.assert_eq(&expand_all(decls));
}

/// The messages of every error reported for a declaration, in order.
fn errors(result: syn::Result<TokenStream>) -> Vec<String> {
    match result {
        Ok(tokens) => panic!("expected errors, got:\n{tokens}"),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

fn endpoint_errors(args: TokenStream, item: TokenStream) -> Vec<String> {
    errors(expand::endpoint(args, item))
}

#[test]
fn app_presign_expansion() {
    check(
        expect_file!["../tests/expand/app_presign.rs"],
        vec![
            Decl::Endpoint(
                quote!(
                    POST,
                    "v3/credit-repayment/partner/contracts/app-presign",
                    response = AppPresignResponse
                ),
                quote! {
                    /// APP预签约自动还款协议
                    pub struct AppPresign {
                        pub appid: String,
                        pub plan_id: String,
                        pub out_contract_code: String,
                        pub display_name: String,
                        pub contract_notify_url: String,
                        pub repayment_day: i64,
                        pub repayment_amount_limit: String,
                        pub sub_mchid: Option<String>,
                        pub sub_appid: Option<String>,
                        pub real_identity: RealIdentity,
                        pub trade_info: Option<TradeInfo>,
                    }
                },
            ),
            Decl::Model(quote! {
                pub struct RealIdentity {
                    pub identity_type: String,
                    #[encrypted]
                    pub identity_id: String,
                    #[encrypted]
                    pub real_name: String,
                }
            }),
            Decl::Model(quote! {
                pub struct TradeInfo {
                    pub out_trade_no: String,
                    pub deduct_amount: i64,
                    pub description: Option<String>,
                    pub attach: Option<String>,
                    pub notify_url: Option<String>,
                }
            }),
            Decl::Model(quote! {
                pub struct AppPresignResponse {
                    pub presign_token: String,
                    pub redirect_service: Option<String>,
                }
            }),
        ],
    );
}

#[test]
fn h5_presign_expansion() {
    check(
        expect_file!["../tests/expand/h5_presign.rs"],
        vec![
            Decl::Endpoint(
                quote!(
                    POST,
                    "v3/credit-repayment/partner/contracts/h5-presign",
                    response = H5PresignResponse
                ),
                quote! {
                    /// H5预签约自动还款协议
                    pub struct H5Presign {
                        pub appid: String,
                        pub plan_id: String,
                        pub out_contract_code: String,
                        pub display_name: String,
                        pub contract_notify_url: String,
                        pub repayment_day: i64,
                        pub repayment_amount_limit: String,
                        pub sub_mchid: Option<String>,
                        pub sub_appid: Option<String>,
                        pub real_identity: RealIdentity,
                        pub trade_info: Option<TradeInfo>,
                        pub jump_info: Option<JumpInfo>,
                    }
                },
            ),
            Decl::Model(quote! {
                pub struct JumpInfo {
                    pub jump_appid: Option<String>,
                }
            }),
            Decl::Model(quote! {
                pub struct H5PresignResponse {
                    pub redirect_url: String,
                }
            }),
        ],
    );
}

#[test]
fn edu_school_presign_expansion() {
    check(
        expect_file!["../tests/expand/eduschoolpay_presign.rs"],
        vec![
            Decl::Endpoint(
                quote!(
                    POST,
                    "v3/eduschoolpay/contracts/presign",
                    response = EduPresignResponse
                ),
                quote! {
                    /// 预签约
                    pub struct EduPresign {
                        pub appid: String,
                        pub openid: String,
                        pub plan_id: String,
                        pub user_id: String,
                        pub school_id: String,
                        pub out_contract_code: String,
                        pub contract_mode: Option<String>,
                        pub downgrade_default_contract: Option<bool>,
                        pub identity: Option<EduIdentity>,
                        pub bank_card: Option<BankCard>,
                    }
                },
            ),
            Decl::Model(quote! {
                pub struct EduIdentity {
                    #[encrypted]
                    pub real_name: String,
                    #[encrypted]
                    pub credential_type: String,
                    #[encrypted]
                    pub id_card_number: Option<String>,
                }
            }),
            Decl::Model(quote! {
                pub struct BankCard {
                    #[encrypted]
                    pub bank_card_no: String,
                    pub valid_thru: Option<String>,
                    #[encrypted]
                    pub phone: Option<String>,
                    pub bank_type: Option<String>,
                }
            }),
            Decl::Model(quote! {
                pub struct EduPresignResponse {
                    pub presign_token: String,
                }
            }),
        ],
    );
}

#[test]
fn roles_of_a_get_with_path_query_header_and_body() {
    check(
        expect_file!["../tests/expand/roles.rs"],
        vec![Decl::Endpoint(
            quote!(
                DELETE,
                "v3/things/{thing_id}/parts/{type}",
                base_url = "https://apihk.mch.weixin.qq.com/"
            ),
            quote! {
                pub(crate) struct DeletePart {
                    pub thing_id: String,
                    pub r#type: u32,
                    #[serde(rename = "sub-mchid")]
                    pub sub_mchid: Option<String>,
                    #[encrypted]
                    pub name: String,
                    #[header("Idempotency-Key")]
                    pub key: String,
                    #[body]
                    pub reason: String,
                    #[cfg(any())]
                    pub gone: Option<u8>,
                }
            },
        )],
    );
}

#[test]
fn every_mistake_is_reported_at_once() {
    let messages = endpoint_errors(
        quote!(FETCH, "/v3/things/{id}/{missing}", colour = "red"),
        quote! {
            #[derive(Clone, Debug)]
            pub struct Broken {
                pub id: String,
                #[encrypted]
                pub amount: i64,
                #[query]
                #[body]
                pub both: String,
                #[header]
                pub nameless: String,
                #[file]
                pub upload: Vec<u8>,
                #[encrypted]
                #[encrypted]
                pub twice: String,
            }
        },
    );
    assert_eq!(
        messages,
        [
            "unknown argument `colour`: expected `response = TYPE`, `base_url = \"URL\"` or `crate = PATH`",
            "unknown method `FETCH`: expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`",
            "`#[wxpay_endpoint]` implements `Debug` itself, printing `#[encrypted]` fields as \"***\": remove `Debug` from this derive",
            "`#[header]` needs the header's name: `#[header(\"Idempotency-Key\")]`",
            "duplicate `#[encrypted]` attribute",
            "`#[encrypted]` applies to `String` or `Option<String>` fields, not `i64`: encrypt the string fields inside it instead",
            "`#[body]` conflicts with `#[query]`: a field is sent in one place",
            "`#[file]` needs a field of type `wxpay::File` (`File::new(filename, bytes)`)",
            "the path is relative to the host: write `\"v3/things/{id}/{missing}\"`, without the leading `/`",
            "no field named `missing` for the placeholder `{missing}` in the path: the fields are `id`, `amount`, `both`, `nameless`, `upload`, `twice`",
        ]
    );
}

#[test]
fn model_rejects_endpoint_attributes_and_arguments() {
    let messages = errors(expand::model(
        quote!(POST),
        quote! {
            #[derive(serde::Deserialize)]
            pub struct M {
                #[query]
                pub a: String,
                #[header("X")]
                pub b: String,
                #[encrypted]
                #[json_string]
                pub c: String,
            }
        },
    ));
    assert_eq!(
        messages,
        [
            "`#[wxpay_model]` takes no arguments but `crate = PATH` and one of `request`, `response`",
            "`#[wxpay_model]` derives `Deserialize` itself, with the serde attributes its fields need: remove `Deserialize` from this derive",
            "`#[query]` only applies to the fields of a `#[wxpay_endpoint]` struct: a model is JSON, at any depth",
            "`#[header]` only applies to the fields of a `#[wxpay_endpoint]` struct: a model is JSON, at any depth",
            "`#[json_string]` conflicts with `#[encrypted]`: mark the fields inside the JSON `#[encrypted]` instead",
        ]
    );
}

#[test]
fn not_a_struct_with_named_fields() {
    for (item, message) in [
        (
            quote!(
                pub struct T(String);
            ),
            "`#[wxpay_endpoint]` expects a struct with named fields, not a tuple struct: `struct T { field: Type }`",
        ),
        (
            quote!(
                pub struct U;
            ),
            "`#[wxpay_endpoint]` expects a struct with named fields, not a unit struct: `struct U {}` declares one with no fields",
        ),
        (
            quote!(
                pub enum E {
                    A,
                }
            ),
            "`#[wxpay_endpoint]` expects a struct with named fields, not an enum",
        ),
        (
            quote!(
                fn f() {}
            ),
            "`#[wxpay_endpoint]` expects a struct with named fields",
        ),
    ] {
        assert_eq!(endpoint_errors(quote!(GET, "v3/x"), item), [message]);
    }
}

#[test]
fn malformed_arguments() {
    for (args, message) in [
        (
            quote!(),
            "expected `#[wxpay_endpoint(METHOD, \"v3/…\")]`, optionally followed by `response = TYPE`, `base_url = \"URL\"` and `crate = PATH`",
        ),
        (
            quote!("v3/x"),
            "expected the HTTP method before the path: expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`",
        ),
        (
            quote!(GET),
            "expected the path after the method: `#[wxpay_endpoint(GET, \"v3/…\")]`",
        ),
        (
            quote!(GET, v3),
            "expected the path as a string literal: `\"v3/…\"`",
        ),
        (
            quote!(GET, "v3/x", response),
            "expected `=` after `response`",
        ),
        (
            quote!(GET, "v3/x", response = (), response = ()),
            "duplicate argument `response`",
        ),
        (
            quote!(GET, "v3/x", base_url = "apihk.mch.weixin.qq.com"),
            "the base URL must be absolute, like `\"https://apihk.mch.weixin.qq.com/\"`",
        ),
        (
            quote!(GET, "pay/x"),
            "the path must start with `v3/`, like `\"v3/pay/transactions/jsapi\"`",
        ),
        (
            quote!(GET, "v3/x?a=1"),
            "the path cannot hold a query string: declare the query parameters as fields (`GET` and `DELETE` send fields in the query; `#[query]` does for any method)",
        ),
        (
            quote!(GET, "v3/a b"),
            "the path holds ' ', which a URL path cannot hold as it is: only placeholder values are percent-encoded",
        ),
        (quote!(GET, "v3/{id"), "unclosed `{` in the path"),
        (quote!(GET, "v3/id}"), "unmatched `}` in the path"),
        (
            quote!(GET, "v3/{}"),
            "`{}` in the path: a placeholder holds a field name, like `{out_trade_no}`",
        ),
        (
            quote!(GET, "v3/{id}/{id}"),
            "the placeholder `{id}` appears twice in the path",
        ),
    ] {
        let item = quote!(
            struct S {
                id: String,
            }
        );
        assert_eq!(endpoint_errors(args.clone(), item), [message], "{args}");
    }
}

#[test]
fn field_rules() {
    for (args, item, message) in [
        (
            quote!(GET, "v3/x"),
            quote!(
                struct S {
                    #[file]
                    f: File,
                }
            ),
            "`#[file]` makes the endpoint a multipart upload, which needs `POST`, `PUT` or `PATCH`, not `GET`",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                struct S {
                    #[file]
                    f: File,
                    #[file]
                    g: File,
                }
            ),
            "an endpoint uploads one file: only one `#[file]` field is allowed",
        ),
        (
            quote!(GET, "v3/{id}"),
            quote!(
                struct S {
                    id: Option<String>,
                }
            ),
            "`id` fills a placeholder of the path, which needs a value: it cannot be an `Option`",
        ),
        (
            quote!(GET, "v3/{id}"),
            quote!(
                struct S {
                    #[query]
                    id: String,
                }
            ),
            "`id` fills the placeholder `{id}` of the path and is sent nowhere else: remove `#[query]`",
        ),
        (
            quote!(GET, "v3/{id}"),
            quote!(
                struct S {
                    #[header("X-Id")]
                    id: String,
                }
            ),
            "`id` fills the placeholder `{id}` of the path and is sent nowhere else: remove `#[header]`",
        ),
        (
            quote!(GET, "v3/{id}"),
            quote!(
                struct S {
                    #[encrypted]
                    id: String,
                }
            ),
            "`#[encrypted]` cannot encrypt a path placeholder's value: only JSON body and query fields are encrypted",
        ),
        (
            quote!(GET, "v3/x"),
            quote!(
                struct S {
                    #[header("X")]
                    #[encrypted]
                    h: String,
                }
            ),
            "`#[encrypted]` cannot encrypt a header: only JSON body and query fields are encrypted",
        ),
        (
            quote!(GET, "v3/x"),
            quote!(
                struct S {
                    #[header("Bad Name")]
                    h: String,
                }
            ),
            "\"Bad Name\" is not a valid HTTP header name",
        ),
        (
            quote!(GET, "v3/x"),
            quote!(
                struct S {
                    #[header(X)]
                    h: String,
                }
            ),
            "expected the header's name as one string literal: `#[header(\"Idempotency-Key\")]`",
        ),
        (
            quote!(GET, "v3/x"),
            quote!(
                struct S {
                    #[json_string]
                    q: Vec<u8>,
                }
            ),
            "`#[json_string]` applies to JSON body fields only",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                struct S {
                    #[encrypted]
                    #[serde(with = "m")]
                    s: String,
                }
            ),
            "`#[encrypted]` serializes the field itself: remove this serde attribute",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                struct S {
                    #[encrypted(yes)]
                    s: String,
                }
            ),
            "`#[encrypted]` takes no arguments",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                struct S {
                    #[encrypted]
                    s: Option<Vec<String>>,
                }
            ),
            "`#[encrypted]` applies to `String` or `Option<String>` fields, not `Option<Vec<String>>`: encrypt the string fields inside it instead",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                struct S {
                    #[cfg(test)]
                    s: String,
                }
            ),
            "`#[cfg]` is only supported on `Option` fields: the builder needs a value for the required field `s`",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                struct S {
                    build: String,
                }
            ),
            "a field named `build` clashes with the builder's `build()`: name it otherwise and keep `build` on the wire with `#[serde(rename = \"build\")]`",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                struct S {
                    x: Option<u8>,
                    maybe_x: u8,
                }
            ),
            "a field named `maybe_x` clashes with the builder's `maybe_x()`, the setter of `x` from an `Option`: name it otherwise and keep `maybe_x` on the wire with `#[serde(rename = \"maybe_x\")]`",
        ),
        (
            quote!(POST, "v3/x"),
            quote!(
                #[derive(serde::Serialize)]
                struct S {
                    s: String,
                }
            ),
            "`#[wxpay_endpoint]` derives `Serialize` itself, with the serde attributes its fields need: remove `Serialize` from this derive",
        ),
    ] {
        assert_eq!(endpoint_errors(args, item.clone()), [message], "{item}");
    }
}

#[test]
fn errors_keep_the_struct_and_stand_in_impls() {
    let out = expand::expand_endpoint(
        quote!(GET, "v3/{nope}"),
        quote!(
            pub struct S {
                #[encrypted]
                pub n: i64,
            }
        ),
    )
    .into_token_stream()
    .to_string();
    assert!(out.contains("compile_error"), "{out}");
    assert!(out.contains("pub struct S"), "{out}");
    assert!(
        !out.contains("# [encrypted]"),
        "the helper attribute is gone: {out}"
    );
    assert!(
        out.contains("impl :: wxpay :: __private :: Endpoint for S"),
        "{out}"
    );
    assert!(out.contains("fn builder"), "{out}");
}

#[test]
fn one_sided_models_leave_out_the_other_side() {
    let item = quote!(
        pub struct Amount {
            pub total: i64,
            #[encrypted]
            pub name: Option<String>,
        }
    );
    let text = |args: TokenStream| {
        expand::model(args, item.clone())
            .expect("expands")
            .to_string()
    };
    let both = text(TokenStream::new());
    assert!(both.contains("Deserialize") && both.contains("fn builder"));
    assert!(both.contains("encrypted::deserialize"));

    let request = text(quote!(request));
    assert!(!request.contains("Deserialize"), "{request}");
    assert!(!request.contains("encrypted::deserialize"), "{request}");
    assert!(request.contains("Serialize") && request.contains("fn builder"));

    let response = text(quote!(crate = ::wxpay, response));
    assert!(!response.contains("fn builder"), "{response}");
    assert!(!response.contains("AmountBuilder"), "{response}");
    assert!(response.contains("Deserialize") && response.contains("encrypted::deserialize"));

    let usage =
        "`#[wxpay_model]` takes no arguments but `crate = PATH` and one of `request`, `response`";
    for args in [
        quote!(request, response),
        quote!(response, response),
        quote!(crate = a, crate = b),
        quote!(answer),
    ] {
        assert_eq!(errors(expand::model(args, item.clone())), [usage]);
    }
}
