#[derive(::wxpay::__private::serde::Serialize)]
#[serde(crate = "::wxpay::__private::serde")]
/// H5预签约自动还款协议
pub struct H5Presign {
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
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub jump_info: Option<JumpInfo>,
}
/// Builder of [`H5Presign`], from [`H5Presign::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct H5PresignBuilder<
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
    jump_info: ::core::option::Option<JumpInfo>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::wxpay::__private::Endpoint for H5Presign {
        type Response = H5PresignResponse;
        const METHOD: ::wxpay::__private::Method = ::wxpay::__private::Method::Post;
        const PATH: &'static str = "v3/credit-repayment/partner/contracts/h5-presign";
        const BASE_URL: ::core::option::Option<&'static str> = ::core::option::Option::None;
        const RESPONSE_KIND: ::wxpay::__private::ResponseKind = ::wxpay::__private::ResponseKind::Json;
        #[inline]
        fn write_request(
            &self,
            __wxpay_r: &mut ::wxpay::__private::RequestParts,
        ) -> ::core::result::Result<(), ::wxpay::__private::WxpayError> {
            __wxpay_r.push_path("v3/credit-repayment/partner/contracts/h5-presign");
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
    impl ::core::fmt::Debug for H5Presign {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("H5Presign");
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
            __wxpay_d.field("jump_info", &self.jump_info);
            __wxpay_d.finish()
        }
    }
    impl H5Presign {
        /// Starts a builder of [`H5Presign`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> H5PresignBuilder {
            H5PresignBuilder {
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
                jump_info: ::core::option::Option::None,
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
    > H5PresignBuilder<
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
        ) -> H5PresignBuilder<
            ::wxpay::__private::Set<String>,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
            }
        }
        /// Sets `plan_id` (required).
        pub fn plan_id(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> H5PresignBuilder<
            __wxpay_s_appid,
            ::wxpay::__private::Set<String>,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
            }
        }
        /// Sets `out_contract_code` (required).
        pub fn out_contract_code(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> H5PresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            ::wxpay::__private::Set<String>,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
            }
        }
        /// Sets `display_name` (required).
        pub fn display_name(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> H5PresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            ::wxpay::__private::Set<String>,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
            }
        }
        /// Sets `contract_notify_url` (required).
        pub fn contract_notify_url(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> H5PresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            ::wxpay::__private::Set<String>,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
            }
        }
        /// Sets `repayment_day` (required).
        pub fn repayment_day(
            self,
            value: impl ::core::convert::Into<i64>,
        ) -> H5PresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            ::wxpay::__private::Set<i64>,
            __wxpay_s_repayment_amount_limit,
            __wxpay_s_real_identity,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
            }
        }
        /// Sets `repayment_amount_limit` (required).
        pub fn repayment_amount_limit(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> H5PresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            ::wxpay::__private::Set<String>,
            __wxpay_s_real_identity,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
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
        ) -> H5PresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_plan_id,
            __wxpay_s_out_contract_code,
            __wxpay_s_display_name,
            __wxpay_s_contract_notify_url,
            __wxpay_s_repayment_day,
            __wxpay_s_repayment_amount_limit,
            ::wxpay::__private::Set<RealIdentity>,
        > {
            H5PresignBuilder {
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
                jump_info: self.jump_info,
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
        /// Sets `jump_info` (optional).
        pub fn jump_info(mut self, value: impl ::core::convert::Into<JumpInfo>) -> Self {
            self.jump_info = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `jump_info` from an `Option`: `None` leaves it out.
        pub fn maybe_jump_info(
            mut self,
            value: ::core::option::Option<JumpInfo>,
        ) -> Self {
            self.jump_info = value;
            self
        }
        /// Builds the [`H5Presign`].
        pub fn build(self) -> H5Presign
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
            H5Presign {
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
                jump_info: self.jump_info,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `appid`",
        label = "`appid` is not set",
        note = "call `.appid(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_appid<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_appid<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `plan_id`",
        label = "`plan_id` is not set",
        note = "call `.plan_id(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_plan_id<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_plan_id<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `out_contract_code`",
        label = "`out_contract_code` is not set",
        note = "call `.out_contract_code(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_out_contract_code<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_out_contract_code<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `display_name`",
        label = "`display_name` is not set",
        note = "call `.display_name(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_display_name<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_display_name<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `contract_notify_url`",
        label = "`contract_notify_url` is not set",
        note = "call `.contract_notify_url(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_contract_notify_url<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_contract_notify_url<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `repayment_day`",
        label = "`repayment_day` is not set",
        note = "call `.repayment_day(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_repayment_day<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_repayment_day<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `repayment_amount_limit`",
        label = "`repayment_amount_limit` is not set",
        note = "call `.repayment_amount_limit(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_repayment_amount_limit<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_repayment_amount_limit<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5Presign` is missing the required field `real_identity`",
        label = "`real_identity` is not set",
        note = "call `.real_identity(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_real_identity<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_real_identity<T> for ::wxpay::__private::Set<T> {}
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct JumpInfo {
    #[serde(skip_serializing_if = "::wxpay::__private::is_none", default)]
    pub jump_appid: Option<String>,
}
/// Builder of [`JumpInfo`], from [`JumpInfo::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct JumpInfoBuilder {
    jump_appid: ::core::option::Option<String>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for JumpInfo {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("JumpInfo");
            __wxpay_d.field("jump_appid", &self.jump_appid);
            __wxpay_d.finish()
        }
    }
    impl JumpInfo {
        /// Starts a builder of [`JumpInfo`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> JumpInfoBuilder {
            JumpInfoBuilder {
                jump_appid: ::core::option::Option::None,
            }
        }
    }
    impl JumpInfoBuilder {
        /// Sets `jump_appid` (optional).
        pub fn jump_appid(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.jump_appid = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `jump_appid` from an `Option`: `None` leaves it out.
        pub fn maybe_jump_appid(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.jump_appid = value;
            self
        }
        /// Builds the [`JumpInfo`].
        pub fn build(self) -> JumpInfo {
            JumpInfo {
                jump_appid: self.jump_appid,
            }
        }
    }
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct H5PresignResponse {
    pub redirect_url: String,
}
/// Builder of [`H5PresignResponse`], from [`H5PresignResponse::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct H5PresignResponseBuilder<__wxpay_s_redirect_url = ::wxpay::__private::Unset> {
    redirect_url: __wxpay_s_redirect_url,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for H5PresignResponse {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("H5PresignResponse");
            __wxpay_d.field("redirect_url", &self.redirect_url);
            __wxpay_d.finish()
        }
    }
    impl H5PresignResponse {
        /// Starts a builder of [`H5PresignResponse`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> H5PresignResponseBuilder {
            H5PresignResponseBuilder {
                redirect_url: ::wxpay::__private::Unset,
            }
        }
    }
    impl<__wxpay_s_redirect_url> H5PresignResponseBuilder<__wxpay_s_redirect_url> {
        /// Sets `redirect_url` (required).
        pub fn redirect_url(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> H5PresignResponseBuilder<::wxpay::__private::Set<String>> {
            H5PresignResponseBuilder {
                redirect_url: ::wxpay::__private::Set(value.into()),
            }
        }
        /// Builds the [`H5PresignResponse`].
        pub fn build(self) -> H5PresignResponse
        where
            __wxpay_s_redirect_url: __wxpay_missing_redirect_url<String>,
        {
            H5PresignResponse {
                redirect_url: ::wxpay::__private::IsSet::into_value(self.redirect_url),
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `H5PresignResponse` is missing the required field `redirect_url`",
        label = "`redirect_url` is not set",
        note = "call `.redirect_url(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_redirect_url<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_redirect_url<T> for ::wxpay::__private::Set<T> {}
};
