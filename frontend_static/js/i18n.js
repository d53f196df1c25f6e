// The string table: Simplified Chinese first, English second. t("key", {var}) formats.
const STRINGS = {
  "zh-hans": {
    "app.name": "沁水县电商直播与网店运营平台",
    "app.short": "沁水电商",
    "nav.account": "我的账户",
    "nav.admin": "后台管理",
    "nav.api_docs": "接口文档",
    "nav.logout": "退出登录",
    "nav.login": "登录",
    "lang.switch": "English",
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
    "login.submit": "登录",
    "login.buyer_hint": "买家首次用手机号登录即自动注册。",
    "account.title": "我的账户",
    "account.roles": "角色",
    "account.organisations": "所属组织",
    "account.none": "无",
    "account.phone": "手机",
    "account.password": "修改密码",
    "account.old_password": "当前密码",
    "account.new_password": "新密码",
    "account.save": "保存",
    "account.password_changed": "密码已修改",
    "tokens.title": "API 令牌（脚本使用）",
    "tokens.name": "名称",
    "tokens.create": "创建令牌",
    "tokens.shown_once": "请立即保存此令牌，它只显示这一次：",
    "tokens.revoke": "撤销",
    "tokens.revoked": "已撤销",
    "tokens.empty": "还没有令牌",
    "tokens.created_at": "创建于",
    "tokens.last_used": "最近使用",
    "error.network": "网络错误，请检查连接后重试。",
    "error.unknown": "出错了（{status}）",
    "ws.reconnecting": "实时连接已断开，正在重连…",
    "role.platform_admin": "平台管理员",
    "role.office_staff": "县电商办",
    "role.merchant": "商家",
    "role.streamer": "主播",
    "role.organiser": "活动组织者",
    "role.judge": "评委",
    "role.station_operator": "服务站站长",
    "role.inspector": "抽检员",
    "role.buyer": "买家",
  },
  en: {
    "app.name": "Qinshui Live-Commerce & Online-Shop Platform",
    "app.short": "Qinshui e-commerce",
    "nav.account": "My account",
    "nav.admin": "Admin",
    "nav.api_docs": "API docs",
    "nav.logout": "Log out",
    "nav.login": "Log in",
    "lang.switch": "中文",
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
    "login.submit": "Log in",
    "login.buyer_hint": "Buyers are signed up the first time they log in by phone.",
    "account.title": "My account",
    "account.roles": "Roles",
    "account.organisations": "Organisations",
    "account.none": "None",
    "account.phone": "Phone",
    "account.password": "Change password",
    "account.old_password": "Current password",
    "account.new_password": "New password",
    "account.save": "Save",
    "account.password_changed": "Password changed",
    "tokens.title": "API tokens (for scripts)",
    "tokens.name": "Name",
    "tokens.create": "Create token",
    "tokens.shown_once": "Store this token now; it is shown only once:",
    "tokens.revoke": "Revoke",
    "tokens.revoked": "Revoked",
    "tokens.empty": "No tokens yet",
    "tokens.created_at": "Created",
    "tokens.last_used": "Last used",
    "error.network": "Network error; check the connection and retry.",
    "error.unknown": "Something went wrong ({status})",
    "ws.reconnecting": "Live connection lost; reconnecting…",
    "role.platform_admin": "Platform admin",
    "role.office_staff": "Office staff",
    "role.merchant": "Merchant",
    "role.streamer": "Streamer",
    "role.organiser": "Organiser",
    "role.judge": "Judge",
    "role.station_operator": "Station operator",
    "role.inspector": "Inspector",
    "role.buyer": "Buyer",
  },
};

export const DEFAULT_LANG = "zh-hans";

export function currentLang() {
  const saved = localStorage.getItem("lang");
  return saved && STRINGS[saved] ? saved : DEFAULT_LANG;
}

export function setLang(lang) {
  localStorage.setItem("lang", STRINGS[lang] ? lang : DEFAULT_LANG);
}

export function t(key, vars = {}) {
  const table = STRINGS[currentLang()];
  const text = table[key] ?? STRINGS[DEFAULT_LANG][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

// Fill every element carrying data-i18n (text) or data-i18n-placeholder.
export function translatePage(root = document) {
  document.documentElement.lang = currentLang() === "en" ? "en" : "zh-CN";
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  });
}
