#[derive(::wxpay::__private::serde::Serialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub(crate) struct DeletePart {
    #[serde(skip)]
    pub thing_id: String,
    #[serde(skip)]
    pub r#type: u32,
    #[serde(rename = "sub-mchid")]
    #[serde(skip)]
    pub sub_mchid: Option<String>,
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub key: String,
    pub reason: String,
    #[cfg(any())]
    #[serde(skip)]
    pub gone: Option<u8>,
}
/// Builder of [`DeletePart`], from [`DeletePart::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub(crate) struct DeletePartBuilder<
    __wxpay_s_thing_id = ::wxpay::__private::Unset,
    __wxpay_s_type = ::wxpay::__private::Unset,
    __wxpay_s_name = ::wxpay::__private::Unset,
    __wxpay_s_key = ::wxpay::__private::Unset,
    __wxpay_s_reason = ::wxpay::__private::Unset,
> {
    thing_id: __wxpay_s_thing_id,
    r#type: __wxpay_s_type,
    sub_mchid: ::core::option::Option<String>,
    name: __wxpay_s_name,
    key: __wxpay_s_key,
    reason: __wxpay_s_reason,
    #[cfg(any())]
    gone: ::core::option::Option<u8>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::wxpay::__private::Endpoint for DeletePart {
        type Response = ();
        const METHOD: ::wxpay::__private::Method = ::wxpay::__private::Method::Delete;
        const PATH: &'static str = "v3/things/{thing_id}/parts/{type}";
        const BASE_URL: ::core::option::Option<&'static str> = ::core::option::Option::Some(
            "https://apihk.mch.weixin.qq.com/",
        );
        const RESPONSE_KIND: ::wxpay::__private::ResponseKind = ::wxpay::__private::ResponseKind::Empty;
        #[inline]
        fn write_request(
            &self,
            __wxpay_r: &mut ::wxpay::__private::RequestParts,
        ) -> ::core::result::Result<(), ::wxpay::__private::WxpayError> {
            __wxpay_r.push_path("v3/things/");
            __wxpay_r.push_path_param(&self.thing_id)?;
            __wxpay_r.push_path("/parts/");
            __wxpay_r.push_path_param(&self.r#type)?;
            __wxpay_r.push_query("sub-mchid", &self.sub_mchid)?;
            __wxpay_r.push_query_encrypted("name", &self.name)?;
            #[cfg(any())] __wxpay_r.push_query("gone", &self.gone)?;
            __wxpay_r.push_header("Idempotency-Key", &self.key)?;
            __wxpay_r.set_json_body(self)
        }
        #[inline]
        fn decode_response(
            __wxpay_body: &[u8],
        ) -> ::core::result::Result<Self::Response, ::wxpay::__private::WxpayError> {
            ::wxpay::__private::decode_empty(__wxpay_body)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::Debug for DeletePart {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("DeletePart");
            __wxpay_d.field("thing_id", &self.thing_id);
            __wxpay_d.field("type", &self.r#type);
            __wxpay_d.field("sub_mchid", &self.sub_mchid);
            __wxpay_d.field("name", &::wxpay::__private::RedactedDebug);
            __wxpay_d.field("key", &self.key);
            __wxpay_d.field("reason", &self.reason);
            #[cfg(any())] __wxpay_d.field("gone", &self.gone);
            __wxpay_d.finish()
        }
    }
    impl DeletePart {
        /// Starts a builder of [`DeletePart`]: one setter per field, then `.build()`.
        #[inline]
        pub(crate) fn builder() -> DeletePartBuilder {
            DeletePartBuilder {
                thing_id: ::wxpay::__private::Unset,
                r#type: ::wxpay::__private::Unset,
                sub_mchid: ::core::option::Option::None,
                name: ::wxpay::__private::Unset,
                key: ::wxpay::__private::Unset,
                reason: ::wxpay::__private::Unset,
                #[cfg(any())]
                gone: ::core::option::Option::None,
            }
        }
    }
    impl<
        __wxpay_s_thing_id,
        __wxpay_s_type,
        __wxpay_s_name,
        __wxpay_s_key,
        __wxpay_s_reason,
    > DeletePartBuilder<
        __wxpay_s_thing_id,
        __wxpay_s_type,
        __wxpay_s_name,
        __wxpay_s_key,
        __wxpay_s_reason,
    > {
        /// Sets `thing_id` (required).
        pub(crate) fn thing_id(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> DeletePartBuilder<
            ::wxpay::__private::Set<String>,
            __wxpay_s_type,
            __wxpay_s_name,
            __wxpay_s_key,
            __wxpay_s_reason,
        > {
            DeletePartBuilder {
                thing_id: ::wxpay::__private::Set(value.into()),
                r#type: self.r#type,
                sub_mchid: self.sub_mchid,
                name: self.name,
                key: self.key,
                reason: self.reason,
                #[cfg(any())]
                gone: self.gone,
            }
        }
        /// Sets `type` (required).
        pub(crate) fn r#type(
            self,
            value: impl ::core::convert::Into<u32>,
        ) -> DeletePartBuilder<
            __wxpay_s_thing_id,
            ::wxpay::__private::Set<u32>,
            __wxpay_s_name,
            __wxpay_s_key,
            __wxpay_s_reason,
        > {
            DeletePartBuilder {
                thing_id: self.thing_id,
                r#type: ::wxpay::__private::Set(value.into()),
                sub_mchid: self.sub_mchid,
                name: self.name,
                key: self.key,
                reason: self.reason,
                #[cfg(any())]
                gone: self.gone,
            }
        }
        /// Sets `sub_mchid` (optional).
        pub(crate) fn sub_mchid(
            mut self,
            value: impl ::core::convert::Into<String>,
        ) -> Self {
            self.sub_mchid = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `sub_mchid` from an `Option`: `None` leaves it out.
        pub(crate) fn maybe_sub_mchid(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.sub_mchid = value;
            self
        }
        /// Sets `name` (required).
        pub(crate) fn name(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> DeletePartBuilder<
            __wxpay_s_thing_id,
            __wxpay_s_type,
            ::wxpay::__private::Set<String>,
            __wxpay_s_key,
            __wxpay_s_reason,
        > {
            DeletePartBuilder {
                thing_id: self.thing_id,
                r#type: self.r#type,
                sub_mchid: self.sub_mchid,
                name: ::wxpay::__private::Set(value.into()),
                key: self.key,
                reason: self.reason,
                #[cfg(any())]
                gone: self.gone,
            }
        }
        /// Sets `key` (required).
        pub(crate) fn key(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> DeletePartBuilder<
            __wxpay_s_thing_id,
            __wxpay_s_type,
            __wxpay_s_name,
            ::wxpay::__private::Set<String>,
            __wxpay_s_reason,
        > {
            DeletePartBuilder {
                thing_id: self.thing_id,
                r#type: self.r#type,
                sub_mchid: self.sub_mchid,
                name: self.name,
                key: ::wxpay::__private::Set(value.into()),
                reason: self.reason,
                #[cfg(any())]
                gone: self.gone,
            }
        }
        /// Sets `reason` (required).
        pub(crate) fn reason(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> DeletePartBuilder<
            __wxpay_s_thing_id,
            __wxpay_s_type,
            __wxpay_s_name,
            __wxpay_s_key,
            ::wxpay::__private::Set<String>,
        > {
            DeletePartBuilder {
                thing_id: self.thing_id,
                r#type: self.r#type,
                sub_mchid: self.sub_mchid,
                name: self.name,
                key: self.key,
                reason: ::wxpay::__private::Set(value.into()),
                #[cfg(any())]
                gone: self.gone,
            }
        }
        #[cfg(any())]
        /// Sets `gone` (optional).
        pub(crate) fn gone(mut self, value: impl ::core::convert::Into<u8>) -> Self {
            self.gone = ::core::option::Option::Some(value.into());
            self
        }
        #[cfg(any())]
        /// Sets `gone` from an `Option`: `None` leaves it out.
        pub(crate) fn maybe_gone(mut self, value: ::core::option::Option<u8>) -> Self {
            self.gone = value;
            self
        }
        /// Builds the [`DeletePart`].
        pub(crate) fn build(self) -> DeletePart
        where
            __wxpay_s_thing_id: __wxpay_missing_thing_id<String>,
            __wxpay_s_type: __wxpay_missing_type<u32>,
            __wxpay_s_name: __wxpay_missing_name<String>,
            __wxpay_s_key: __wxpay_missing_key<String>,
            __wxpay_s_reason: __wxpay_missing_reason<String>,
        {
            DeletePart {
                thing_id: ::wxpay::__private::IsSet::into_value(self.thing_id),
                r#type: ::wxpay::__private::IsSet::into_value(self.r#type),
                sub_mchid: self.sub_mchid,
                name: ::wxpay::__private::IsSet::into_value(self.name),
                key: ::wxpay::__private::IsSet::into_value(self.key),
                reason: ::wxpay::__private::IsSet::into_value(self.reason),
                #[cfg(any())]
                gone: self.gone,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `DeletePart` is missing the required field `thing_id`",
        label = "`thing_id` is not set",
        note = "call `.thing_id(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_thing_id<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_thing_id<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `DeletePart` is missing the required field `type`",
        label = "`type` is not set",
        note = "call `.r#type(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_type<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_type<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `DeletePart` is missing the required field `name`",
        label = "`name` is not set",
        note = "call `.name(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_name<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_name<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `DeletePart` is missing the required field `key`",
        label = "`key` is not set",
        note = "call `.key(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_key<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_key<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `DeletePart` is missing the required field `reason`",
        label = "`reason` is not set",
        note = "call `.reason(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_reason<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_reason<T> for ::wxpay::__private::Set<T> {}
};
