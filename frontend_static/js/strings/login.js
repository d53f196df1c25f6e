import { addStrings } from "app/lib/i18n.js";

addStrings({
  "zh-hans": {
    "login.title": "登录",
    "login.by_password": "账号密码登录",
    "login.by_phone": "手机验证码登录",
    "login.username": "用户名",
    "login.password": "密码",
    "login.phone": "手机号",
    "login.code": "验证码",
    "login.send_code": "获取验证码",
    "login.resend_in": "{s} 秒后重发",
    "login.code_sent": "验证码已发送，{m} 分钟内有效",
    "login.code_again": "这个验证码已失效，请重新获取。",
    "login.submit": "登录",
    "login.buyer_hint": "买家首次用手机号登录即自动注册。",
  },
  en: {
    "login.title": "Log in",
    "login.by_password": "Username and password",
    "login.by_phone": "Phone and code",
    "login.username": "Username",
    "login.password": "Password",
    "login.phone": "Mobile number",
    "login.code": "Code",
    "login.send_code": "Send code",
    "login.resend_in": "Resend in {s} s",
    "login.code_sent": "Code sent; valid for {m} minutes",
    "login.code_again": "This code can no longer be used; ask for a new one.",
    "login.submit": "Log in",
    "login.buyer_hint": "Buyers are signed up the first time they log in by phone.",
  },
});
