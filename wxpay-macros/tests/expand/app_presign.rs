#[derive(::wxpay::__private::serde::Serialize)]
#[serde(crate = "::wxpay::__private::serde")]
/// APP预签约自动还款协议
pub struct AppPresign {
    pub appid: String,
    pub plan_id: String,
    pub out_contract_code: String,
    pub display_name: String,
    pub contract_notify_url: String,
    pub repayment_day: i64,
    pub repayment_amount_limit: String,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub sub_mchid: Option<String>,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub sub_appid: Option<String>,
    pub real_identity: RealIdentity,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub trade_info: Option<TradeInfo>,
}
/// Builder of [`AppPresign`], from [`AppPresign::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct AppPresignBuilder<
    __wxpay_s_appid = ::wxpay::__private::Unset,
    __wxpay_s_plan_id = ::wxpay::__private::Unset,
    __wxpay_s_out_contract_code = ::wxpay::__private::Unset,
    __wxpay_s_display_name = ::wxpay::__private::Unset,
    __wxpay_s_contract_notify_url = ::wxpay::__private::Unset,
    __wxpay_s_repayment_day = ::wxpay::__private::Unset,
    __wxpay_s_repayment_amount_limit = ::wxpay::__private::Unset,
    __wxpay_s_real_identity = ::wxpay::__private::Unset,
> {
    appid: __wxpay_s_appid,
    plan_id: __wxpay_s_plan_id,
    out_contract_code: __wxpay_s_out_contract_code,
    display_name: __wxpay_s_display_name,
    contract_notify_url: __wxpay_s_contract_notify_url,
    repayment_day: __wxpay_s_repayment_day,
    repayment_amount_limit: __wxpay_s_repayment_amount_limit,
    sub_mchid: ::core::option::Option<String>,
    sub_appid: ::core::option::Option<String>,
    real_identity: __wxpay_s_real_identity,
    trade_info: ::core::option::Option<TradeInfo>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::wxpay::__private::Endpoint for AppPresign {
        type Response = AppPresignResponse;
        const METHOD: ::wxpay::__private::Method = ::wxpay::__private::Method::Post;
        const PATH: &'static str = "v3/credit-repayment/partner/contracts/app-presign";
        const BASE_URL: ::core::option::Option<&'static str> = ::core::option::Option::None;
        const RESPONSE_KIND: ::wxpay::__private::ResponseKind = ::wxpay::__private::ResponseKind::Json;
        #[inline]
        fn write_request(
            &self,
            __wxpay_r: &mut ::wxpay::__private::RequestParts,
        ) -> ::core::result::Result<(), ::wxpay::__private::WxpayError> {
            __wxpay_r.push_path("v3/credit-repayment/partner/contracts/app-presign");
            __wxpay_r.set_json_body(self)
        }
        #[inline]
        fn decode_response(
            __wxpay_body: &[u8],
        ) -> ::core::result::Result<Self::Response, ::wxpay::__private::WxpayError> {
            ::wxpay::__private::decode_json(__wxpay_body)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::Debug for AppPresign {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("AppPresign");
            __wxpay_d.field("appid", &self.appid);
            __wxpay_d.field("plan_id", &self.plan_id);
            __wxpay_d.field("out_contract_code", &self.out_contract_code);
            __wxpay_d.field("display_name", &self.display_name);
            __wxpay_d.field("contract_notify_url", &self.contract_notify_url);
            __wxpay_d.field("repayment_day", &self.repayment_day);
            __wxpay_d.field("repayment_amount_limit", &self.repayment_amount_limit);
            __wxpay_d.field("sub_mchid", &self.sub_mchid);
            __wxpay_d.field("sub_appid", &self.sub_appid);
            __wxpay_d.field("real_identity", &self.real_identity);
            __wxpay_d.field("trade_info", &self.trade_info);
            __wxpay_d.finish()
        }
    }
    impl AppPresign {
        /// Starts a builder of [`AppPresign`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> AppPresignBuilder {
            AppPresignBuilder {
                appid: ::wxpay::__private::Unset,
                plan_id: ::wxpay::__private::Unset,
                out_contract_code: ::wxpay::__private::Unset,
                display_name: ::wxpay::__private::Unset,
                contract_notify_url: ::wxpay::__private::Unset,
                repayment_day: ::wxpay::__private::Unset,
                repayment_amount_limit: ::wxpay::__private::Unset,
                sub_mchid: ::core::option::Option::None,
                sub_appid: ::core::option::Option::None,
                real_identity: ::wxpay::__private::Unset,
                trade_info: ::core::option::Option::None,
            }
        }
    }
    impl<
        __wxpay_s_appid,
        __wxpay_s_plan_id,
        __wxpay_s_out_contract_code,
        __wxpay_s_display_name,
        __wxpay_s_contract_notify_url,
        __wxpay_s_repayment_day,
        __wxpay_s_repayment_amount_limit,
        __wxpay_s_real_identity,
    > AppPresignBuilder<
        __wxpay_s_appid,
        __wxpay_s_plan_id,
        __wxpay_s_out_contract_code,
        __wxpay_s_display_name,
        __wxpay_s_contract_notify_url,
        __wxpay_s_repayment_day,
        __wxpay_s_repayment_amount_limit,
        __wxpay_s_real_identity,
    > {
        /// Sets `appid` (required).
        pub fn appid(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> AppPresignBuilder<
            ::wxpay::__private::Set<String>,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            AppPresignBuilder {
                appid: ::wxpay::__private::Set(value.into()),
                plan_id: self.plan_id,
                out_contract_code: self.out_contract_code,
                display_name: self.display_name,
                contract_notify_url: self.contract_notify_url,
                repayment_day: self.repayment_day,
                repayment_amount_limit: self.repayment_amount_limit,
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: self.real_identity,
                trade_info: self.trade_info,
            }
        }
        /// Sets `plan_id` (required).
        pub fn plan_id(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> AppPresignBuilder<
            __wxpay_s_appid,
            ::wxpay::__private::Set<String>,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            AppPresignBuilder {
                appid: self.appid,
                plan_id: ::wxpay::__private::Set(value.into()),
                out_contract_code: self.out_contract_code,
                display_name: self.display_name,
                contract_notify_url: self.contract_notify_url,
                repayment_day: self.repayment_day,
                repayment_amount_limit: self.repayment_amount_limit,
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: self.real_identity,
                trade_info: self.trade_info,
            }
        }
        /// Sets `out_contract_code` (required).
        pub fn out_contract_code(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> AppPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            ::wxpay::__private::Set<String>,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            AppPresignBuilder {
                appid: self.appid,
                plan_id: self.plan_id,
                out_contract_code: ::wxpay::__private::Set(value.into()),
                display_name: self.display_name,
                contract_notify_url: self.contract_notify_url,
                repayment_day: self.repayment_day,
                repayment_amount_limit: self.repayment_amount_limit,
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: self.real_identity,
                trade_info: self.trade_info,
            }
        }
        /// Sets `display_name` (required).
        pub fn display_name(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> AppPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            ::wxpay::__private::Set<String>,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            AppPresignBuilder {
                appid: self.appid,
                plan_id: self.plan_id,
                out_contract_code: self.out_contract_code,
                display_name: ::wxpay::__private::Set(value.into()),
                contract_notify_url: self.contract_notify_url,
                repayment_day: self.repayment_day,
                repayment_amount_limit: self.repayment_amount_limit,
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: self.real_identity,
                trade_info: self.trade_info,
            }
        }
        /// Sets `contract_notify_url` (required).
        pub fn contract_notify_url(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> AppPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            ::wxpay::__private::Set<String>,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            AppPresignBuilder {
                appid: self.appid,
                plan_id: self.plan_id,
                out_contract_code: self.out_contract_code,
                display_name: self.display_name,
                contract_notify_url: ::wxpay::__private::Set(value.into()),
                repayment_day: self.repayment_day,
                repayment_amount_limit: self.repayment_amount_limit,
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: self.real_identity,
                trade_info: self.trade_info,
            }
        }
        /// Sets `repayment_day` (required).
        pub fn repayment_day(
            self,
            value: impl ::core::convert::Into<i64>,
        ) -> AppPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            ::wxpay::__private::Set<i64>,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            AppPresignBuilder {
                appid: self.appid,
                plan_id: self.plan_id,
                out_contract_code: self.out_contract_code,
                display_name: self.display_name,
                contract_notify_url: self.contract_notify_url,
                repayment_day: ::wxpay::__private::Set(value.into()),
                repayment_amount_limit: self.repayment_amount_limit,
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: self.real_identity,
                trade_info: self.trade_info,
            }
        }
        /// Sets `repayment_amount_limit` (required).
        pub fn repayment_amount_limit(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> AppPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            ::wxpay::__private::Set<String>,
            __wxpay_s_real_identity,
        > {
            AppPresignBuilder {
                appid: self.appid,
                plan_id: self.plan_id,
                out_contract_code: self.out_contract_code,
                display_name: self.display_name,
                contract_notify_url: self.contract_notify_url,
                repayment_day: self.repayment_day,
                repayment_amount_limit: ::wxpay::__private::Set(value.into()),
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: self.real_identity,
                trade_info: self.trade_info,
            }
        }
        /// Sets `sub_mchid` (optional).
        pub fn sub_mchid(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.sub_mchid = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `sub_mchid` from an `Option`: `None` leaves it out.
        pub fn maybe_sub_mchid(mut self, value: ::core::option::Option<String>) -> Self {
            self.sub_mchid = value;
            self
        }
        /// Sets `sub_appid` (optional).
        pub fn sub_appid(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.sub_appid = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `sub_appid` from an `Option`: `None` leaves it out.
        pub fn maybe_sub_appid(mut self, value: ::core::option::Option<String>) -> Self {
            self.sub_appid = value;
            self
        }
        /// Sets `real_identity` (required).
        pub fn real_identity(
            self,
            value: impl ::core::convert::Into<RealIdentity>,
        ) -> AppPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            ::wxpay::__private::Set<RealIdentity>,
        > {
            AppPresignBuilder {
                appid: self.appid,
                plan_id: self.plan_id,
                out_contract_code: self.out_contract_code,
                display_name: self.display_name,
                contract_notify_url: self.contract_notify_url,
                repayment_day: self.repayment_day,
                repayment_amount_limit: self.repayment_amount_limit,
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: ::wxpay::__private::Set(value.into()),
                trade_info: self.trade_info,
            }
        }
        /// Sets `trade_info` (optional).
        pub fn trade_info(
            mut self,
            value: impl ::core::convert::Into<TradeInfo>,
        ) -> Self {
            self.trade_info = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `trade_info` from an `Option`: `None` leaves it out.
        pub fn maybe_trade_info(
            mut self,
            value: ::core::option::Option<TradeInfo>,
        ) -> Self {
            self.trade_info = value;
            self
        }
        /// Builds the [`AppPresign`].
        pub fn build(self) -> AppPresign
        where
            __wxpay_s_appid: __wxpay_missing_appid<String>,
            __wxpay_s_plan_id: __wxpay_missing_plan_id<String>,
            __wxpay_s_out_contract_code: __wxpay_missing_out_contract_code<String>,
            __wxpay_s_display_name: __wxpay_missing_display_name<String>,
            __wxpay_s_contract_notify_url: __wxpay_missing_contract_notify_url<String>,
            __wxpay_s_repayment_day: __wxpay_missing_repayment_day<i64>,
            __wxpay_s_repayment_amount_limit: __wxpay_missing_repayment_amount_limit<
                String,
            >,
            __wxpay_s_real_identity: __wxpay_missing_real_identity<RealIdentity>,
        {
            AppPresign {
                appid: ::wxpay::__private::IsSet::into_value(self.appid),
                plan_id: ::wxpay::__private::IsSet::into_value(self.plan_id),
                out_contract_code: ::wxpay::__private::IsSet::into_value(
                    self.out_contract_code,
                ),
                display_name: ::wxpay::__private::IsSet::into_value(self.display_name),
                contract_notify_url: ::wxpay::__private::IsSet::into_value(
                    self.contract_notify_url,
                ),
                repayment_day: ::wxpay::__private::IsSet::into_value(self.repayment_day),
                repayment_amount_limit: ::wxpay::__private::IsSet::into_value(
                    self.repayment_amount_limit,
                ),
                sub_mchid: self.sub_mchid,
                sub_appid: self.sub_appid,
                real_identity: ::wxpay::__private::IsSet::into_value(self.real_identity),
                trade_info: self.trade_info,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `appid`",
        label = "`appid` is not set",
        note = "call `.appid(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_appid<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_appid<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `plan_id`",
        label = "`plan_id` is not set",
        note = "call `.plan_id(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_plan_id<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_plan_id<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `out_contract_code`",
        label = "`out_contract_code` is not set",
        note = "call `.out_contract_code(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_out_contract_code<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_out_contract_code<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `display_name`",
        label = "`display_name` is not set",
        note = "call `.display_name(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_display_name<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_display_name<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `contract_notify_url`",
        label = "`contract_notify_url` is not set",
        note = "call `.contract_notify_url(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_contract_notify_url<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_contract_notify_url<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `repayment_day`",
        label = "`repayment_day` is not set",
        note = "call `.repayment_day(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_repayment_day<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_repayment_day<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `repayment_amount_limit`",
        label = "`repayment_amount_limit` is not set",
        note = "call `.repayment_amount_limit(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_repayment_amount_limit<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_repayment_amount_limit<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresign` is missing the required field `real_identity`",
        label = "`real_identity` is not set",
        note = "call `.real_identity(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_real_identity<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_real_identity<T> for ::wxpay::__private::Set<T> {}
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct RealIdentity {
    pub identity_type: String,
    #[serde(
        serialize_with = "::wxpay::__private::encrypted::serialize",
        deserialize_with = "::wxpay::__private::encrypted::deserialize"
    )]
    pub identity_id: String,
    #[serde(
        serialize_with = "::wxpay::__private::encrypted::serialize",
        deserialize_with = "::wxpay::__private::encrypted::deserialize"
    )]
    pub real_name: String,
}
/// Builder of [`RealIdentity`], from [`RealIdentity::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct RealIdentityBuilder<
    __wxpay_s_identity_type = ::wxpay::__private::Unset,
    __wxpay_s_identity_id = ::wxpay::__private::Unset,
    __wxpay_s_real_name = ::wxpay::__private::Unset,
> {
    identity_type: __wxpay_s_identity_type,
    identity_id: __wxpay_s_identity_id,
    real_name: __wxpay_s_real_name,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for RealIdentity {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("RealIdentity");
            __wxpay_d.field("identity_type", &self.identity_type);
            __wxpay_d.field("identity_id", &::wxpay::__private::RedactedDebug);
            __wxpay_d.field("real_name", &::wxpay::__private::RedactedDebug);
            __wxpay_d.finish()
        }
    }
    impl RealIdentity {
        /// Starts a builder of [`RealIdentity`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> RealIdentityBuilder {
            RealIdentityBuilder {
                identity_type: ::wxpay::__private::Unset,
                identity_id: ::wxpay::__private::Unset,
                real_name: ::wxpay::__private::Unset,
            }
        }
    }
    impl<
        __wxpay_s_identity_type,
        __wxpay_s_identity_id,
        __wxpay_s_real_name,
    > RealIdentityBuilder<
        __wxpay_s_identity_type,
        __wxpay_s_identity_id,
        __wxpay_s_real_name,
    > {
        /// Sets `identity_type` (required).
        pub fn identity_type(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> RealIdentityBuilder<
            ::wxpay::__private::Set<String>,
            __wxpay_s_identity_id,
            __wxpay_s_real_name,
        > {
            RealIdentityBuilder {
                identity_type: ::wxpay::__private::Set(value.into()),
                identity_id: self.identity_id,
                real_name: self.real_name,
            }
        }
        /// Sets `identity_id` (required).
        pub fn identity_id(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> RealIdentityBuilder<
            __wxpay_s_identity_type,
            ::wxpay::__private::Set<String>,
            __wxpay_s_real_name,
        > {
            RealIdentityBuilder {
                identity_type: self.identity_type,
                identity_id: ::wxpay::__private::Set(value.into()),
                real_name: self.real_name,
            }
        }
        /// Sets `real_name` (required).
        pub fn real_name(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> RealIdentityBuilder<
            __wxpay_s_identity_type,
            __wxpay_s_identity_id,
            ::wxpay::__private::Set<String>,
        > {
            RealIdentityBuilder {
                identity_type: self.identity_type,
                identity_id: self.identity_id,
                real_name: ::wxpay::__private::Set(value.into()),
            }
        }
        /// Builds the [`RealIdentity`].
        pub fn build(self) -> RealIdentity
        where
            __wxpay_s_identity_type: __wxpay_missing_identity_type<String>,
            __wxpay_s_identity_id: __wxpay_missing_identity_id<String>,
            __wxpay_s_real_name: __wxpay_missing_real_name<String>,
        {
            RealIdentity {
                identity_type: ::wxpay::__private::IsSet::into_value(self.identity_type),
                identity_id: ::wxpay::__private::IsSet::into_value(self.identity_id),
                real_name: ::wxpay::__private::IsSet::into_value(self.real_name),
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `RealIdentity` is missing the required field `identity_type`",
        label = "`identity_type` is not set",
        note = "call `.identity_type(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_identity_type<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_identity_type<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `RealIdentity` is missing the required field `identity_id`",
        label = "`identity_id` is not set",
        note = "call `.identity_id(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_identity_id<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_identity_id<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `RealIdentity` is missing the required field `real_name`",
        label = "`real_name` is not set",
        note = "call `.real_name(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_real_name<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_real_name<T> for ::wxpay::__private::Set<T> {}
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct TradeInfo {
    pub out_trade_no: String,
    pub deduct_amount: i64,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none", default)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none", default)]
    pub attach: Option<String>,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none", default)]
    pub notify_url: Option<String>,
}
/// Builder of [`TradeInfo`], from [`TradeInfo::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct TradeInfoBuilder<
    __wxpay_s_out_trade_no = ::wxpay::__private::Unset,
    __wxpay_s_deduct_amount = ::wxpay::__private::Unset,
> {
    out_trade_no: __wxpay_s_out_trade_no,
    deduct_amount: __wxpay_s_deduct_amount,
    description: ::core::option::Option<String>,
    attach: ::core::option::Option<String>,
    notify_url: ::core::option::Option<String>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for TradeInfo {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("TradeInfo");
            __wxpay_d.field("out_trade_no", &self.out_trade_no);
            __wxpay_d.field("deduct_amount", &self.deduct_amount);
            __wxpay_d.field("description", &self.description);
            __wxpay_d.field("attach", &self.attach);
            __wxpay_d.field("notify_url", &self.notify_url);
            __wxpay_d.finish()
        }
    }
    impl TradeInfo {
        /// Starts a builder of [`TradeInfo`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> TradeInfoBuilder {
            TradeInfoBuilder {
                out_trade_no: ::wxpay::__private::Unset,
                deduct_amount: ::wxpay::__private::Unset,
                description: ::core::option::Option::None,
                attach: ::core::option::Option::None,
                notify_url: ::core::option::Option::None,
            }
        }
    }
    impl<
        __wxpay_s_out_trade_no,
        __wxpay_s_deduct_amount,
    > TradeInfoBuilder<__wxpay_s_out_trade_no, __wxpay_s_deduct_amount> {
        /// Sets `out_trade_no` (required).
        pub fn out_trade_no(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> TradeInfoBuilder<::wxpay::__private::Set<String>, __wxpay_s_deduct_amount> {
            TradeInfoBuilder {
                out_trade_no: ::wxpay::__private::Set(value.into()),
                deduct_amount: self.deduct_amount,
                description: self.description,
                attach: self.attach,
                notify_url: self.notify_url,
            }
        }
        /// Sets `deduct_amount` (required).
        pub fn deduct_amount(
            self,
            value: impl ::core::convert::Into<i64>,
        ) -> TradeInfoBuilder<__wxpay_s_out_trade_no, ::wxpay::__private::Set<i64>> {
            TradeInfoBuilder {
                out_trade_no: self.out_trade_no,
                deduct_amount: ::wxpay::__private::Set(value.into()),
                description: self.description,
                attach: self.attach,
                notify_url: self.notify_url,
            }
        }
        /// Sets `description` (optional).
        pub fn description(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.description = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `description` from an `Option`: `None` leaves it out.
        pub fn maybe_description(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.description = value;
            self
        }
        /// Sets `attach` (optional).
        pub fn attach(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.attach = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `attach` from an `Option`: `None` leaves it out.
        pub fn maybe_attach(mut self, value: ::core::option::Option<String>) -> Self {
            self.attach = value;
            self
        }
        /// Sets `notify_url` (optional).
        pub fn notify_url(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.notify_url = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `notify_url` from an `Option`: `None` leaves it out.
        pub fn maybe_notify_url(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.notify_url = value;
            self
        }
        /// Builds the [`TradeInfo`].
        pub fn build(self) -> TradeInfo
        where
            __wxpay_s_out_trade_no: __wxpay_missing_out_trade_no<String>,
            __wxpay_s_deduct_amount: __wxpay_missing_deduct_amount<i64>,
        {
            TradeInfo {
                out_trade_no: ::wxpay::__private::IsSet::into_value(self.out_trade_no),
                deduct_amount: ::wxpay::__private::IsSet::into_value(self.deduct_amount),
                description: self.description,
                attach: self.attach,
                notify_url: self.notify_url,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `TradeInfo` is missing the required field `out_trade_no`",
        label = "`out_trade_no` is not set",
        note = "call `.out_trade_no(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_out_trade_no<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_out_trade_no<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `TradeInfo` is missing the required field `deduct_amount`",
        label = "`deduct_amount` is not set",
        note = "call `.deduct_amount(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_deduct_amount<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_deduct_amount<T> for ::wxpay::__private::Set<T> {}
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct AppPresignResponse {
    pub presign_token: String,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none", default)]
    pub redirect_service: Option<String>,
}
/// Builder of [`AppPresignResponse`], from [`AppPresignResponse::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct AppPresignResponseBuilder<
    __wxpay_s_presign_token = ::wxpay::__private::Unset,
> {
    presign_token: __wxpay_s_presign_token,
    redirect_service: ::core::option::Option<String>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for AppPresignResponse {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("AppPresignResponse");
            __wxpay_d.field("presign_token", &self.presign_token);
            __wxpay_d.field("redirect_service", &self.redirect_service);
            __wxpay_d.finish()
        }
    }
    impl AppPresignResponse {
        /// Starts a builder of [`AppPresignResponse`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> AppPresignResponseBuilder {
            AppPresignResponseBuilder {
                presign_token: ::wxpay::__private::Unset,
                redirect_service: ::core::option::Option::None,
            }
        }
    }
    impl<__wxpay_s_presign_token> AppPresignResponseBuilder<__wxpay_s_presign_token> {
        /// Sets `presign_token` (required).
        pub fn presign_token(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> AppPresignResponseBuilder<::wxpay::__private::Set<String>> {
            AppPresignResponseBuilder {
                presign_token: ::wxpay::__private::Set(value.into()),
                redirect_service: self.redirect_service,
            }
        }
        /// Sets `redirect_service` (optional).
        pub fn redirect_service(
            mut self,
            value: impl ::core::convert::Into<String>,
        ) -> Self {
            self.redirect_service = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `redirect_service` from an `Option`: `None` leaves it out.
        pub fn maybe_redirect_service(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.redirect_service = value;
            self
        }
        /// Builds the [`AppPresignResponse`].
        pub fn build(self) -> AppPresignResponse
        where
            __wxpay_s_presign_token: __wxpay_missing_presign_token<String>,
        {
            AppPresignResponse {
                presign_token: ::wxpay::__private::IsSet::into_value(self.presign_token),
                redirect_service: self.redirect_service,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `AppPresignResponse` is missing the required field `presign_token`",
        label = "`presign_token` is not set",
        note = "call `.presign_token(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_presign_token<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_presign_token<T> for ::wxpay::__private::Set<T> {}
};
