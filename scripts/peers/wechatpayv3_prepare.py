"""The APP presign seed prepared by wechatpayv3 (see README.md in this directory)."""

import json
import os
import sys
import time

from wechatpayv3.core import Core
from wechatpayv3.utils import build_authorization

PATH = "/v3/credit-repayment/partner/contracts/app-presign"


def main():
    keys = sys.argv[1]
    with open(os.path.join(keys, "config.json"), encoding="utf-8") as f:
        config = json.load(f)

    def read(name):
        with open(os.path.join(keys, config["files"][name]), encoding="utf-8") as f:
            return f.read()

    # Public-key mode: no certificate download at construction.
    core = Core(
        mchid=config["mchid"],
        cert_serial_no=config["merchant_serial"],
        private_key=read("merchant_key"),
        apiv3_key=config["apiv3_key"],
        public_key=read("wechatpay_public_key"),
        public_key_id=config["wechatpay_public_key_id"],
    )

    def prepare():
        body = {
            "appid": "wxd678efh567hg6787",
            "plan_id": "plan_2026_001",
            "out_contract_code": "contract_20261123_0001",
            "display_name": "信用卡自动还款",
            "contract_notify_url": "https://merchant.example.com/notify/contract",
            "repayment_day": 15,
            "repayment_amount_limit": "AMOUNT_LIMIT_ALL",
            "sub_mchid": "1900000109",
            "real_identity": {
                "identity_type": "REAL_IDENTITY_TYPE_ID_CARD",
                "identity_id": core.encrypt("110101199003074477"),
                "real_name": core.encrypt("张三"),
            },
            "trade_info": {
                "out_trade_no": "trade_20261123_0001",
                "deduct_amount": 100,
                "description": "首期还款",
            },
        }
        # What Core.request does before sending: the body, signed, and the headers.
        text = json.dumps(body)
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Wechatpay-Serial": config["wechatpay_public_key_id"],
            "Authorization": build_authorization(
                PATH, "POST", config["mchid"], config["merchant_serial"], core._private_key, data=text
            ),
        }
        return headers, text

    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "QUIT":
            break
        if command[0] == "SAMPLE":
            headers, text = prepare()
            print(json.dumps({"method": "POST", "path": PATH, "headers": headers, "body": text}), flush=True)
        elif command[0] == "RUN":
            n = int(command[1])
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(n):
                prepare()
            print(f"{time.process_time() - cpu} {time.perf_counter() - wall}", flush=True)


if __name__ == "__main__":
    main()
