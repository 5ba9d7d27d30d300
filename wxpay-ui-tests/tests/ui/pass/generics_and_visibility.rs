//! Generic models, borrowed fields, private and `pub(crate)` declarations in modules.
#![deny(warnings)]

mod api {
    use wxpay::prelude::*;

    #[wxpay_model]
    pub struct Page<T> {
        pub total: u32,
        pub data: Vec<T>,
    }

    #[wxpay_model]
    pub(crate) struct Item {
        pub(crate) id: String,
    }

    #[wxpay_endpoint(GET, "v3/items/{kind}", response = Page<Item>)]
    pub(crate) struct List<'a> {
        pub(crate) kind: &'a str,
        pub(crate) offset: u32,
    }

    #[wxpay_endpoint(POST, "v3/generic")]
    pub struct Generic<T: Clone, const N: usize> {
        pub values: Vec<T>,
        pub extra: Option<T>,
    }

    #[wxpay_model]
    struct Private {
        secret_sauce: u8,
    }

    pub(crate) fn private_builds() -> usize {
        let private = Private::builder().secret_sauce(1u8).build();
        format!("{private:?}").len()
    }
}

fn takes_endpoint<E: wxpay::Endpoint>(_: &E) {}

fn main() {
    let kind = String::from("books");
    let list = api::List::builder()
        .kind(kind.as_str())
        .offset(0u32)
        .build();
    takes_endpoint(&list);
    let generic = api::Generic::<u8, 2>::builder().values(vec![1, 2]).build();
    takes_endpoint(&generic);
    let page: api::Page<u8> = api::Page::builder().total(0u32).data(vec![]).build();
    assert_eq!(page.total, 0);
    assert!(api::private_builds() > 0);
}
