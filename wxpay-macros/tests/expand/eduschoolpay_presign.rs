#[derive(::wxpay::__private::serde::Serialize)]
#[serde(crate = "::wxpay::__private::serde")]
/// 预签约
pub struct EduPresign {
    pub appid: String,
    pub openid: String,
    pub plan_id: String,
    pub user_id: String,
    pub school_id: String,
    pub out_contract_code: String,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub contract_mode: Option<String>,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub downgrade_default_contract: Option<bool>,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub identity: Option<EduIdentity>,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none")]
    pub bank_card: Option<BankCard>,
}
/// Builder of [`EduPresign`], from [`EduPresign::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct EduPresignBuilder<
    __wxpay_s_appid = ::wxpay::__private::Unset,
    __wxpay_s_openid = ::wxpay::__private::Unset,
    __wxpay_s_plan_id = ::wxpay::__private::Unset,
    __wxpay_s_user_id = ::wxpay::__private::Unset,
    __wxpay_s_school_id = ::wxpay::__private::Unset,
    __wxpay_s_out_contract_code = ::wxpay::__private::Unset,
> {
    appid: __wxpay_s_appid,
    openid: __wxpay_s_openid,
    plan_id: __wxpay_s_plan_id,
    user_id: __wxpay_s_user_id,
    school_id: __wxpay_s_school_id,
    out_contract_code: __wxpay_s_out_contract_code,
    contract_mode: ::core::option::Option<String>,
    downgrade_default_contract: ::core::option::Option<bool>,
    identity: ::core::option::Option<EduIdentity>,
    bank_card: ::core::option::Option<BankCard>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::wxpay::__private::Endpoint for EduPresign {
        type Response = EduPresignResponse;
        const METHOD: ::wxpay::__private::Method = ::wxpay::__private::Method::Post;
        const PATH: &'static str = "v3/eduschoolpay/contracts/presign";
        const BASE_URL: ::core::option::Option<&'static str> = ::core::option::Option::None;
        const RESPONSE_KIND: ::wxpay::__private::ResponseKind = ::wxpay::__private::ResponseKind::Json;
        #[inline]
        fn write_request(
            &self,
            __wxpay_r: &mut ::wxpay::__private::RequestParts,
        ) -> ::core::result::Result<(), ::wxpay::__private::WxpayError> {
            __wxpay_r.push_path("v3/eduschoolpay/contracts/presign");
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
    impl ::core::fmt::Debug for EduPresign {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("EduPresign");
            __wxpay_d.field("appid", &self.appid);
            __wxpay_d.field("openid", &self.openid);
            __wxpay_d.field("plan_id", &self.plan_id);
            __wxpay_d.field("user_id", &self.user_id);
            __wxpay_d.field("school_id", &self.school_id);
            __wxpay_d.field("out_contract_code", &self.out_contract_code);
            __wxpay_d.field("contract_mode", &self.contract_mode);
            __wxpay_d
                .field("downgrade_default_contract", &self.downgrade_default_contract);
            __wxpay_d.field("identity", &self.identity);
            __wxpay_d.field("bank_card", &self.bank_card);
            __wxpay_d.finish()
        }
    }
    impl EduPresign {
        /// Starts a builder of [`EduPresign`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> EduPresignBuilder {
            EduPresignBuilder {
                appid: ::wxpay::__private::Unset,
                openid: ::wxpay::__private::Unset,
                plan_id: ::wxpay::__private::Unset,
                user_id: ::wxpay::__private::Unset,
                school_id: ::wxpay::__private::Unset,
                out_contract_code: ::wxpay::__private::Unset,
                contract_mode: ::core::option::Option::None,
                downgrade_default_contract: ::core::option::Option::None,
                identity: ::core::option::Option::None,
                bank_card: ::core::option::Option::None,
            }
        }
    }
    impl<
        __wxpay_s_appid,
        __wxpay_s_openid,
        __wxpay_s_plan_id,
        __wxpay_s_user_id,
        __wxpay_s_school_id,
        __wxpay_s_out_contract_code,
    > EduPresignBuilder<
        __wxpay_s_appid,
        __wxpay_s_openid,
        __wxpay_s_plan_id,
        __wxpay_s_user_id,
        __wxpay_s_school_id,
        __wxpay_s_out_contract_code,
    > {
        /// Sets `appid` (required).
        pub fn appid(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduPresignBuilder<
            ::wxpay::__private::Set<String>,
            __wxpay_s_openid,
            __wxpay_s_plan_id,
            __wxpay_s_user_id,
            __wxpay_s_school_id,
            __wxpay_s_out_contract_code,
        > {
            EduPresignBuilder {
                appid: ::wxpay::__private::Set(value.into()),
                openid: self.openid,
                plan_id: self.plan_id,
                user_id: self.user_id,
                school_id: self.school_id,
                out_contract_code: self.out_contract_code,
                contract_mode: self.contract_mode,
                downgrade_default_contract: self.downgrade_default_contract,
                identity: self.identity,
                bank_card: self.bank_card,
            }
        }
        /// Sets `openid` (required).
        pub fn openid(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduPresignBuilder<
            __wxpay_s_appid,
            ::wxpay::__private::Set<String>,
            __wxpay_s_plan_id,
            __wxpay_s_user_id,
            __wxpay_s_school_id,
            __wxpay_s_out_contract_code,
        > {
            EduPresignBuilder {
                appid: self.appid,
                openid: ::wxpay::__private::Set(value.into()),
                plan_id: self.plan_id,
                user_id: self.user_id,
                school_id: self.school_id,
                out_contract_code: self.out_contract_code,
                contract_mode: self.contract_mode,
                downgrade_default_contract: self.downgrade_default_contract,
                identity: self.identity,
                bank_card: self.bank_card,
            }
        }
        /// Sets `plan_id` (required).
        pub fn plan_id(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_openid,
            ::wxpay::__private::Set<String>,
            __wxpay_s_user_id,
            __wxpay_s_school_id,
            __wxpay_s_out_contract_code,
        > {
            EduPresignBuilder {
                appid: self.appid,
                openid: self.openid,
                plan_id: ::wxpay::__private::Set(value.into()),
                user_id: self.user_id,
                school_id: self.school_id,
                out_contract_code: self.out_contract_code,
                contract_mode: self.contract_mode,
                downgrade_default_contract: self.downgrade_default_contract,
                identity: self.identity,
                bank_card: self.bank_card,
            }
        }
        /// Sets `user_id` (required).
        pub fn user_id(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_openid,
            __wxpay_s_plan_id,
            ::wxpay::__private::Set<String>,
            __wxpay_s_school_id,
            __wxpay_s_out_contract_code,
        > {
            EduPresignBuilder {
                appid: self.appid,
                openid: self.openid,
                plan_id: self.plan_id,
                user_id: ::wxpay::__private::Set(value.into()),
                school_id: self.school_id,
                out_contract_code: self.out_contract_code,
                contract_mode: self.contract_mode,
                downgrade_default_contract: self.downgrade_default_contract,
                identity: self.identity,
                bank_card: self.bank_card,
            }
        }
        /// Sets `school_id` (required).
        pub fn school_id(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_openid,
            __wxpay_s_plan_id,
            __wxpay_s_user_id,
            ::wxpay::__private::Set<String>,
            __wxpay_s_out_contract_code,
        > {
            EduPresignBuilder {
                appid: self.appid,
                openid: self.openid,
                plan_id: self.plan_id,
                user_id: self.user_id,
                school_id: ::wxpay::__private::Set(value.into()),
                out_contract_code: self.out_contract_code,
                contract_mode: self.contract_mode,
                downgrade_default_contract: self.downgrade_default_contract,
                identity: self.identity,
                bank_card: self.bank_card,
            }
        }
        /// Sets `out_contract_code` (required).
        pub fn out_contract_code(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduPresignBuilder<
            __wxpay_s_appid,
            __wxpay_s_openid,
            __wxpay_s_plan_id,
            __wxpay_s_user_id,
            __wxpay_s_school_id,
            ::wxpay::__private::Set<String>,
        > {
            EduPresignBuilder {
                appid: self.appid,
                openid: self.openid,
                plan_id: self.plan_id,
                user_id: self.user_id,
                school_id: self.school_id,
                out_contract_code: ::wxpay::__private::Set(value.into()),
                contract_mode: self.contract_mode,
                downgrade_default_contract: self.downgrade_default_contract,
                identity: self.identity,
                bank_card: self.bank_card,
            }
        }
        /// Sets `contract_mode` (optional).
        pub fn contract_mode(
            mut self,
            value: impl ::core::convert::Into<String>,
        ) -> Self {
            self.contract_mode = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `contract_mode` from an `Option`: `None` leaves it out.
        pub fn maybe_contract_mode(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.contract_mode = value;
            self
        }
        /// Sets `downgrade_default_contract` (optional).
        pub fn downgrade_default_contract(
            mut self,
            value: impl ::core::convert::Into<bool>,
        ) -> Self {
            self.downgrade_default_contract = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `downgrade_default_contract` from an `Option`: `None` leaves it out.
        pub fn maybe_downgrade_default_contract(
            mut self,
            value: ::core::option::Option<bool>,
        ) -> Self {
            self.downgrade_default_contract = value;
            self
        }
        /// Sets `identity` (optional).
        pub fn identity(
            mut self,
            value: impl ::core::convert::Into<EduIdentity>,
        ) -> Self {
            self.identity = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `identity` from an `Option`: `None` leaves it out.
        pub fn maybe_identity(
            mut self,
            value: ::core::option::Option<EduIdentity>,
        ) -> Self {
            self.identity = value;
            self
        }
        /// Sets `bank_card` (optional).
        pub fn bank_card(mut self, value: impl ::core::convert::Into<BankCard>) -> Self {
            self.bank_card = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `bank_card` from an `Option`: `None` leaves it out.
        pub fn maybe_bank_card(
            mut self,
            value: ::core::option::Option<BankCard>,
        ) -> Self {
            self.bank_card = value;
            self
        }
        /// Builds the [`EduPresign`].
        pub fn build(self) -> EduPresign
        where
            __wxpay_s_appid: __wxpay_missing_appid<String>,
            __wxpay_s_openid: __wxpay_missing_openid<String>,
            __wxpay_s_plan_id: __wxpay_missing_plan_id<String>,
            __wxpay_s_user_id: __wxpay_missing_user_id<String>,
            __wxpay_s_school_id: __wxpay_missing_school_id<String>,
            __wxpay_s_out_contract_code: __wxpay_missing_out_contract_code<String>,
        {
            EduPresign {
                appid: ::wxpay::__private::IsSet::into_value(self.appid),
                openid: ::wxpay::__private::IsSet::into_value(self.openid),
                plan_id: ::wxpay::__private::IsSet::into_value(self.plan_id),
                user_id: ::wxpay::__private::IsSet::into_value(self.user_id),
                school_id: ::wxpay::__private::IsSet::into_value(self.school_id),
                out_contract_code: ::wxpay::__private::IsSet::into_value(
                    self.out_contract_code,
                ),
                contract_mode: self.contract_mode,
                downgrade_default_contract: self.downgrade_default_contract,
                identity: self.identity,
                bank_card: self.bank_card,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduPresign` is missing the required field `appid`",
        label = "`appid` is not set",
        note = "call `.appid(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_appid<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_appid<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduPresign` is missing the required field `openid`",
        label = "`openid` is not set",
        note = "call `.openid(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_openid<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_openid<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduPresign` is missing the required field `plan_id`",
        label = "`plan_id` is not set",
        note = "call `.plan_id(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_plan_id<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_plan_id<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduPresign` is missing the required field `user_id`",
        label = "`user_id` is not set",
        note = "call `.user_id(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_user_id<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_user_id<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduPresign` is missing the required field `school_id`",
        label = "`school_id` is not set",
        note = "call `.school_id(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_school_id<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_school_id<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduPresign` is missing the required field `out_contract_code`",
        label = "`out_contract_code` is not set",
        note = "call `.out_contract_code(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_out_contract_code<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_out_contract_code<T> for ::wxpay::__private::Set<T> {}
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct EduIdentity {
    #[serde(
        serialize_with = "::wxpay::__private::encrypted::serialize",
        deserialize_with = "::wxpay::__private::encrypted::deserialize"
    )]
    pub real_name: String,
    #[serde(
        serialize_with = "::wxpay::__private::encrypted::serialize",
        deserialize_with = "::wxpay::__private::encrypted::deserialize"
    )]
    pub credential_type: String,
    #[serde(
        skip_serializing_if = "::wxpay::__private::is_none",
        default,
        serialize_with = "::wxpay::__private::encrypted::serialize",
        deserialize_with = "::wxpay::__private::encrypted::deserialize"
    )]
    pub id_card_number: Option<String>,
}
/// Builder of [`EduIdentity`], from [`EduIdentity::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct EduIdentityBuilder<
    __wxpay_s_real_name = ::wxpay::__private::Unset,
    __wxpay_s_credential_type = ::wxpay::__private::Unset,
> {
    real_name: __wxpay_s_real_name,
    credential_type: __wxpay_s_credential_type,
    id_card_number: ::core::option::Option<String>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for EduIdentity {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("EduIdentity");
            __wxpay_d.field("real_name", &::wxpay::__private::RedactedDebug);
            __wxpay_d.field("credential_type", &::wxpay::__private::RedactedDebug);
            __wxpay_d.field("id_card_number", &::wxpay::__private::RedactedDebug);
            __wxpay_d.finish()
        }
    }
    impl EduIdentity {
        /// Starts a builder of [`EduIdentity`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> EduIdentityBuilder {
            EduIdentityBuilder {
                real_name: ::wxpay::__private::Unset,
                credential_type: ::wxpay::__private::Unset,
                id_card_number: ::core::option::Option::None,
            }
        }
    }
    impl<
        __wxpay_s_real_name,
        __wxpay_s_credential_type,
    > EduIdentityBuilder<__wxpay_s_real_name, __wxpay_s_credential_type> {
        /// Sets `real_name` (required).
        pub fn real_name(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduIdentityBuilder<
            ::wxpay::__private::Set<String>,
            __wxpay_s_credential_type,
        > {
            EduIdentityBuilder {
                real_name: ::wxpay::__private::Set(value.into()),
                credential_type: self.credential_type,
                id_card_number: self.id_card_number,
            }
        }
        /// Sets `credential_type` (required).
        pub fn credential_type(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduIdentityBuilder<__wxpay_s_real_name, ::wxpay::__private::Set<String>> {
            EduIdentityBuilder {
                real_name: self.real_name,
                credential_type: ::wxpay::__private::Set(value.into()),
                id_card_number: self.id_card_number,
            }
        }
        /// Sets `id_card_number` (optional).
        pub fn id_card_number(
            mut self,
            value: impl ::core::convert::Into<String>,
        ) -> Self {
            self.id_card_number = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `id_card_number` from an `Option`: `None` leaves it out.
        pub fn maybe_id_card_number(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.id_card_number = value;
            self
        }
        /// Builds the [`EduIdentity`].
        pub fn build(self) -> EduIdentity
        where
            __wxpay_s_real_name: __wxpay_missing_real_name<String>,
            __wxpay_s_credential_type: __wxpay_missing_credential_type<String>,
        {
            EduIdentity {
                real_name: ::wxpay::__private::IsSet::into_value(self.real_name),
                credential_type: ::wxpay::__private::IsSet::into_value(
                    self.credential_type,
                ),
                id_card_number: self.id_card_number,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduIdentity` is missing the required field `real_name`",
        label = "`real_name` is not set",
        note = "call `.real_name(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_real_name<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_real_name<T> for ::wxpay::__private::Set<T> {}
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduIdentity` is missing the required field `credential_type`",
        label = "`credential_type` is not set",
        note = "call `.credential_type(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_credential_type<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_credential_type<T> for ::wxpay::__private::Set<T> {}
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct BankCard {
    #[serde(
        serialize_with = "::wxpay::__private::encrypted::serialize",
        deserialize_with = "::wxpay::__private::encrypted::deserialize"
    )]
    pub bank_card_no: String,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none", default)]
    pub valid_thru: Option<String>,
    #[serde(
        skip_serializing_if = "::wxpay::__private::is_none",
        default,
        serialize_with = "::wxpay::__private::encrypted::serialize",
        deserialize_with = "::wxpay::__private::encrypted::deserialize"
    )]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "::wxpay::__private::is_none", default)]
    pub bank_type: Option<String>,
}
/// Builder of [`BankCard`], from [`BankCard::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct BankCardBuilder<__wxpay_s_bank_card_no = ::wxpay::__private::Unset> {
    bank_card_no: __wxpay_s_bank_card_no,
    valid_thru: ::core::option::Option<String>,
    phone: ::core::option::Option<String>,
    bank_type: ::core::option::Option<String>,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for BankCard {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("BankCard");
            __wxpay_d.field("bank_card_no", &::wxpay::__private::RedactedDebug);
            __wxpay_d.field("valid_thru", &self.valid_thru);
            __wxpay_d.field("phone", &::wxpay::__private::RedactedDebug);
            __wxpay_d.field("bank_type", &self.bank_type);
            __wxpay_d.finish()
        }
    }
    impl BankCard {
        /// Starts a builder of [`BankCard`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> BankCardBuilder {
            BankCardBuilder {
                bank_card_no: ::wxpay::__private::Unset,
                valid_thru: ::core::option::Option::None,
                phone: ::core::option::Option::None,
                bank_type: ::core::option::Option::None,
            }
        }
    }
    impl<__wxpay_s_bank_card_no> BankCardBuilder<__wxpay_s_bank_card_no> {
        /// Sets `bank_card_no` (required).
        pub fn bank_card_no(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> BankCardBuilder<::wxpay::__private::Set<String>> {
            BankCardBuilder {
                bank_card_no: ::wxpay::__private::Set(value.into()),
                valid_thru: self.valid_thru,
                phone: self.phone,
                bank_type: self.bank_type,
            }
        }
        /// Sets `valid_thru` (optional).
        pub fn valid_thru(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.valid_thru = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `valid_thru` from an `Option`: `None` leaves it out.
        pub fn maybe_valid_thru(
            mut self,
            value: ::core::option::Option<String>,
        ) -> Self {
            self.valid_thru = value;
            self
        }
        /// Sets `phone` (optional).
        pub fn phone(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.phone = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `phone` from an `Option`: `None` leaves it out.
        pub fn maybe_phone(mut self, value: ::core::option::Option<String>) -> Self {
            self.phone = value;
            self
        }
        /// Sets `bank_type` (optional).
        pub fn bank_type(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.bank_type = ::core::option::Option::Some(value.into());
            self
        }
        /// Sets `bank_type` from an `Option`: `None` leaves it out.
        pub fn maybe_bank_type(mut self, value: ::core::option::Option<String>) -> Self {
            self.bank_type = value;
            self
        }
        /// Builds the [`BankCard`].
        pub fn build(self) -> BankCard
        where
            __wxpay_s_bank_card_no: __wxpay_missing_bank_card_no<String>,
        {
            BankCard {
                bank_card_no: ::wxpay::__private::IsSet::into_value(self.bank_card_no),
                valid_thru: self.valid_thru,
                phone: self.phone,
                bank_type: self.bank_type,
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `BankCard` is missing the required field `bank_card_no`",
        label = "`bank_card_no` is not set",
        note = "call `.bank_card_no(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_bank_card_no<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_bank_card_no<T> for ::wxpay::__private::Set<T> {}
};
#[derive(::wxpay::__private::serde::Serialize, ::wxpay::__private::serde::Deserialize)]
#[serde(crate = "::wxpay::__private::serde")]
pub struct EduPresignResponse {
    pub presign_token: String,
}
/// Builder of [`EduPresignResponse`], from [`EduPresignResponse::builder()`]: one setter per field, then `.build()`. A required field left unset is a compile error that names it.
#[must_use = "call `.build()` to get the value"]
#[allow(non_camel_case_types)]
pub struct EduPresignResponseBuilder<
    __wxpay_s_presign_token = ::wxpay::__private::Unset,
> {
    presign_token: __wxpay_s_presign_token,
}
#[allow(non_camel_case_types)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for EduPresignResponse {
        #[inline]
        fn fmt(
            &self,
            __wxpay_f: &mut ::core::fmt::Formatter<'_>,
        ) -> ::core::fmt::Result {
            let mut __wxpay_d = __wxpay_f.debug_struct("EduPresignResponse");
            __wxpay_d.field("presign_token", &self.presign_token);
            __wxpay_d.finish()
        }
    }
    impl EduPresignResponse {
        /// Starts a builder of [`EduPresignResponse`]: one setter per field, then `.build()`.
        #[inline]
        pub fn builder() -> EduPresignResponseBuilder {
            EduPresignResponseBuilder {
                presign_token: ::wxpay::__private::Unset,
            }
        }
    }
    impl<__wxpay_s_presign_token> EduPresignResponseBuilder<__wxpay_s_presign_token> {
        /// Sets `presign_token` (required).
        pub fn presign_token(
            self,
            value: impl ::core::convert::Into<String>,
        ) -> EduPresignResponseBuilder<::wxpay::__private::Set<String>> {
            EduPresignResponseBuilder {
                presign_token: ::wxpay::__private::Set(value.into()),
            }
        }
        /// Builds the [`EduPresignResponse`].
        pub fn build(self) -> EduPresignResponse
        where
            __wxpay_s_presign_token: __wxpay_missing_presign_token<String>,
        {
            EduPresignResponse {
                presign_token: ::wxpay::__private::IsSet::into_value(self.presign_token),
            }
        }
    }
    #[diagnostic::on_unimplemented(
        message = "the builder of `EduPresignResponse` is missing the required field `presign_token`",
        label = "`presign_token` is not set",
        note = "call `.presign_token(…)` before `.build()`"
    )]
    pub trait __wxpay_missing_presign_token<T>: ::wxpay::__private::IsSet<T> {}
    impl<T> __wxpay_missing_presign_token<T> for ::wxpay::__private::Set<T> {}
};
