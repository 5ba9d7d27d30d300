// The APP presign seed prepared by wechatpay-axios-plugin (see README.md in this directory).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { Rsa, Formatter } = require('wechatpay-axios-plugin');

const PATH = '/v3/credit-repayment/partner/contracts/app-presign';
const keys = process.argv[2];
const config = JSON.parse(fs.readFileSync(path.join(keys, 'config.json'), 'utf8'));
const read = (name) => fs.readFileSync(path.join(keys, config.files[name]), 'utf8');
const privateKey = Rsa.from(read('merchant_key'), Rsa.KEY_TYPE_PRIVATE);
const publicKey = Rsa.from(read('wechatpay_public_key'), Rsa.KEY_TYPE_PUBLIC);

function prepare() {
  const body = {
    appid: 'wxd678efh567hg6787',
    plan_id: 'plan_2026_001',
    out_contract_code: 'contract_20261123_0001',
    display_name: '信用卡自动还款',
    contract_notify_url: 'https://merchant.example.com/notify/contract',
    repayment_day: 15,
    repayment_amount_limit: 'AMOUNT_LIMIT_ALL',
    sub_mchid: '1900000109',
    real_identity: {
      identity_type: 'REAL_IDENTITY_TYPE_ID_CARD',
      identity_id: Rsa.encrypt('110101199003074477', publicKey),
      real_name: Rsa.encrypt('张三', publicKey),
    },
    trade_info: {
      out_trade_no: 'trade_20261123_0001',
      deduct_amount: 100,
      description: '首期还款',
    },
  };
  // What the plugin's request interceptor does before sending: the body, signed, the headers.
  const payload = JSON.stringify(body);
  const nonce = Formatter.nonce();
  const timestamp = Formatter.timestamp();
  const signature = Rsa.sign(Formatter.request('POST', PATH, timestamp, nonce, payload), privateKey);
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'Wechatpay-Serial': config.wechatpay_public_key_id,
    Authorization: Formatter.authorization(config.mchid, nonce, signature, timestamp, config.merchant_serial),
  };
  return { headers, payload };
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = line.trim().split(/\s+/);
  if (command[0] === 'QUIT') {
    process.exit(0);
  } else if (command[0] === 'SAMPLE') {
    const { headers, payload } = prepare();
    process.stdout.write(`${JSON.stringify({ method: 'POST', path: PATH, headers, body: payload })}\n`);
  } else if (command[0] === 'RUN') {
    const n = Number(command[1]);
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) prepare();
    const used = process.cpuUsage(cpu);
    const seconds = (used.user + used.system) / 1e6;
    process.stdout.write(`${seconds} ${Number(process.hrtime.bigint() - wall) / 1e9}\n`);
  }
});
lines.on('close', () => process.exit(0));
