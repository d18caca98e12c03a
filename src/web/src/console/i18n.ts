// Every string the console shows, one table per language; Chinese first, English switchable.
const zh = {
  app: "昆都仑区数字城管指挥中心", signIn: "登录", signOut: "退出", username: "用户名", password: "密码",
  badLogin: "用户名或密码错误", locked: "尝试过多，请稍后再试", lang: "English", loading: "加载中…",
  navQueues: "案件队列", navIntake: "受理登记", navMap: "网格地图", navReport: "考核报表", navWall: "大屏",
  navTasks: "我的任务", navAdmin: "系统数据", navReportProblem: "上报问题",
  alerts: "提醒", newTask: "新任务", urge: "督办", escalated: "升级", dismiss: "关闭",
  status: "状态", channel: "渠道", category: "类别", deadline: "处置时限", light: "灯", received: "受理时间",
  description: "描述", address: "地址", cell: "单元网格", unit: "处置单位", caseNo: "案件编号",
  sort: "排序", newest: "最新受理", oldest: "最早受理", byDeadline: "时限最近", updated: "最近变更",
  overdueOnly: "仅超时", search: "搜索", all: "全部", count: "条", more: "加载更多", none: "无",
  claimedBy: "处理中：", claim: "认领", release: "释放", claimTaken: "该案件已被其他席位认领",
  timeline: "处理过程", photos: "照片", actions: "可执行操作", map: "地图", submit: "提交",
  stale: "该案件已被他人修改，正在重新加载…", done: "已完成", failed: "失败",
  note: "备注", reason: "原因", result: "结果", until: "截止至", into: "并入案件", assignee: "处置人",
  suggestions: "推荐单位", condition: "立案条件", limit: "时限", reached: "已联系到", satisfaction: "满意度",
  lon: "经度", lat: "纬度", locate: "定位", locateHint: "在地图上点击选择位置，或输入经纬度后按“定位”",
  outside: "该点不在任何单元网格内", reporter: "反映人", phone: "电话", confidential: "保密",
  callStart: "来电开始", callEnd: "来电结束", callOperator: "接线员", officerCode: "监督员编号",
  letterSubject: "来信标题", letterBody: "来信内容", occurredAt: "发生时间", uploadPhoto: "上传照片",
  duplicates: "同网格内的未结案件（可能重复）", noDuplicates: "同网格内无未结案件", createdCase: "已受理：",
  open: "未结", overdue: "超时", drill: "点击区域下钻", back: "返回上级", report: "本月考核", asOf: "截至",
  bulletin: "打印简报（HTML）", completion: "结案率", onTime: "按期结案率", due: "应结案数", closed: "结案数",
  score: "综合指标", grade: "等级", rank: "排名", name: "名称", feed: "实时动态", byStage: "各阶段数量",
  trend: "本周结案趋势", green: "绿", yellow: "黄", red: "红", day: "日期",
  newUser: "新建用户", displayName: "姓名", create: "创建", save: "保存", edit: "编辑", tokens: "令牌",
  resetPassword: "重置密码", newPassword: "新密码", issueToken: "签发令牌", kind: "类型", label: "标签",
  expiresDays: "有效天数", revoke: "吊销", revoked: "已吊销", expires: "到期", created: "创建时间",
  tokenOnce: "令牌只显示这一次，请立即复制：", saved: "已保存", newOfficer: "新建监督员", editOfficer: "修改监督员",
  assignDuty: "指派责任网格", handover: "交接网格", endDuty: "结束责任", officer: "监督员", duty: "职责",
  cells: "网格编码（逗号分隔）", from: "起始日期", on: "日期", toOfficer: "接手监督员", dutyId: "责任编号",
  officerDuties: "查询监督员的责任网格", show: "查询", addDay: "添加日期", date: "日期",
  holiday: "节假日", workingDay: "调休工作日", swappedDays: "调休工作日", remove: "删除",
  timeLimits: "类别阶段时限", dutiesTab: "责任网格", newUnit: "新建处置单位", channelsHint: "仅接口账号（integration）：可提交案件的渠道", editUnit: "修改处置单位", unitScopeHint: "区或街道的网格编码", value: "数值", timeUnit: "单位",
  users: "用户", officers: "监督员", units: "处置单位", categories: "类别", calendar: "工作日历",
  roles: "角色", scope: "范围", type: "类型", active: "在岗", conditions: "立案条件", workingPeriods: "工作时段",
  holidays: "节假日", useLocation: "使用当前位置", camera: "拍照", notAvailable: "服务器暂未提供此功能",
  signedInAs: "当前用户", required: "必填", chooseUnit: "选择单位", reload: "刷新",
  cases: "案件", noCases: "没有案件", yes: "是", no: "否", call: "来电", letter: "来信", start: "开始", end: "结束", area: "区域", receivedCount: "受理数", duties: "责任网格（格数）",
};
type Strings = typeof zh;
const en: Strings = {
  app: "Kundulun Urban Management Command Center", signIn: "Sign in", signOut: "Sign out",
  username: "Username", password: "Password", badLogin: "Wrong username or password",
  locked: "Too many attempts, try again later", lang: "中文", loading: "Loading…",
  navQueues: "Queues", navIntake: "Intake", navMap: "Grid map", navReport: "Report", navWall: "Wall",
  navTasks: "My tasks", navAdmin: "Admin data", navReportProblem: "Report a problem",
  alerts: "Alerts", newTask: "New task", urge: "Urged", escalated: "Escalated", dismiss: "Dismiss",
  status: "Status", channel: "Channel", category: "Category", deadline: "Deadline", light: "Light",
  received: "Received", description: "Description", address: "Address", cell: "Cell", unit: "Unit",
  caseNo: "Case no.", sort: "Sort", newest: "Newest", oldest: "Oldest", byDeadline: "Deadline",
  updated: "Updated", overdueOnly: "Overdue only", search: "Search", all: "All", count: "cases",
  more: "Load more", none: "None", claimedBy: "Being worked on by ", claim: "Claim", release: "Release",
  claimTaken: "Another desk holds this case", timeline: "Timeline", photos: "Photos",
  actions: "Actions", map: "Map", submit: "Submit", stale: "This case changed, reloading…",
  done: "Done", failed: "Failed", note: "Note", reason: "Reason", result: "Result", until: "Until",
  into: "Merge into case", assignee: "Assignee", suggestions: "Suggested units",
  condition: "Filing condition", limit: "Limit", reached: "Reached", satisfaction: "Satisfaction",
  lon: "Longitude", lat: "Latitude", locate: "Locate",
  locateHint: "Click the map to pick the point, or type longitude and latitude and press Locate",
  outside: "The point lies outside every cell", reporter: "Reporter", phone: "Phone",
  confidential: "Confidential", callStart: "Call started", callEnd: "Call ended",
  callOperator: "Call operator", officerCode: "Officer code", letterSubject: "Letter subject",
  letterBody: "Letter body", occurredAt: "Occurred at", uploadPhoto: "Upload photo",
  duplicates: "Open cases in the same cell (possible duplicates)",
  noDuplicates: "No open case in this cell", createdCase: "Received: ", open: "Open",
  overdue: "Overdue", drill: "Click an area to drill down", back: "Up one level",
  report: "This month's assessment", asOf: "as of", bulletin: "Printable bulletin (HTML)", completion: "Completion",
  onTime: "On-time completion", due: "Due", closed: "Closed", score: "Score", grade: "Grade",
  rank: "Rank", name: "Name", feed: "Live feed", byStage: "By stage", trend: "This week's closures",
  newUser: "New user", displayName: "Display name", create: "Create", save: "Save", edit: "Edit", tokens: "Tokens",
  resetPassword: "Reset password", newPassword: "New password", issueToken: "Issue a token", kind: "Kind", label: "Label",
  expiresDays: "Valid for (days)", revoke: "Revoke", revoked: "Revoked", expires: "Expires", created: "Created",
  tokenOnce: "The token is shown only this once; copy it now:", saved: "Saved", newOfficer: "New officer", editOfficer: "Edit an officer",
  assignDuty: "Assign a duty", handover: "Hand cells over", endDuty: "End a duty", officer: "Officer", duty: "Duty",
  cells: "Cell codes (comma-separated)", from: "From", on: "On", toOfficer: "Taken over by", dutyId: "Duty id",
  officerDuties: "An officer's duties", show: "Show", addDay: "Add a day", date: "Date",
  holiday: "Holiday", workingDay: "Working weekend day", swappedDays: "Swapped working days", remove: "Remove",
  timeLimits: "Stage time limits of the category", dutiesTab: "Duties", newUnit: "New unit", channelsHint: "Integration accounts only: the channels it may submit cases on", editUnit: "Edit a unit", unitScopeHint: "The grid code of the district or a street", value: "Value", timeUnit: "Unit",
  green: "Green", yellow: "Yellow", red: "Red", day: "Day", users: "Users", officers: "Officers",
  units: "Units", categories: "Categories", calendar: "Work calendar", roles: "Roles", scope: "Scope",
  type: "Type", active: "Active", conditions: "Filing conditions", workingPeriods: "Working periods",
  holidays: "Holidays", useLocation: "Use my location", camera: "Take photo",
  notAvailable: "The server does not offer this yet", signedInAs: "Signed in as",
  required: "required", chooseUnit: "Choose a unit", reload: "Reload", cases: "Cases",
  noCases: "No cases", yes: "Yes", no: "No", call: "Call", letter: "Letter", start: "Start", end: "End", area: "Area", receivedCount: "Received", duties: "Duties (cells)",
};

const statusZh: Record<string, string> = {
  received: "待受理", verifying: "核实中", registered: "已立案", dispatched: "已派遣", handling: "处置中",
  suspended: "挂账", handled: "已处置", resolved: "已核查", replied: "已回复", rejected: "不予受理", closed: "已结案",
};
const channelZh: Record<string, string> = {
  hotline_12319: "12319热线", hotline_12345: "12345热线", mayor_mailbox: "市长信箱", mayor_hotline: "市长热线",
  patrol: "巡查上报", video: "视频监控", env_inspection: "环保督察", petition: "信访", web: "网站", app: "APP",
};
const actionZh: Record<string, string> = {
  receive: "受理", locate: "定位", request_verification: "派发核实", verify: "核实", withdraw_verification: "撤回核实",
  register: "立案", reject: "不予受理/作废", dispatch: "派遣", acknowledge: "签收", return: "退回", reassign: "改派",
  urge: "督办", request_extension: "申请延期", approve_extension: "批准延期", deny_extension: "驳回延期",
  request_suspension: "申请挂账", suspend: "挂账", resume: "恢复", complete: "处置完成", check: "核查",
  rework: "返工", reply: "回复", close: "结案", callback: "回访", reopen: "重办", merge: "并单",
  overdue: "超时", escalated: "升级",
};

let lang: "zh" | "en" = (localStorage.getItem("gridcase.lang") as "zh" | "en") || "zh";
export function language(): "zh" | "en" { return lang; }
export function setLanguage(l: "zh" | "en"): void {
  lang = l;
  localStorage.setItem("gridcase.lang", l);
  document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
}
export function t(key: keyof Strings): string { return (lang === "zh" ? zh : en)[key]; }
const words = (s: string) => s.replace(/_/g, " ");
export function statusName(s: string): string { return lang === "zh" ? statusZh[s] ?? s : words(s); }
export function channelName(s: string): string { return lang === "zh" ? channelZh[s] ?? s : words(s); }
export function actionName(s: string): string { return lang === "zh" ? actionZh[s] ?? s : words(s); }
const formats = new Map<string, Intl.DateTimeFormat>();
// Times are shown in the deployment's local time (the work calendar's fixed UTC offset, +08:00
// in the demo), whatever the browser's time zone; until it is known, in the browser's.
let offsetMs: number | null = null;
export function setUtcOffset(offset: string): void {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) return;
  offsetMs = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60000;
  formats.clear();
}
/** The local date (YYYY-MM-DD) `daysAgo` days before today, in the deployment's offset. */
export function localDate(daysAgo = 0): string {
  const offset = offsetMs ?? -new Date().getTimezoneOffset() * 60000;
  return new Date(Date.now() - daysAgo * 86400000 + offset).toISOString().slice(0, 10);
}
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  // One formatter per language: building one per call costs more than the whole row.
  let f = formats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", {
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
      ...(offsetMs === null ? {} : { timeZone: "UTC" }),
    });
    formats.set(lang, f);
  }
  const t = new Date(iso).getTime();
  return f.format(new Date(offsetMs === null ? t : t + offsetMs));
}
export function fmtRate(r: number | null | undefined): string {
  return r === null || r === undefined ? "—" : `${(r * 100).toFixed(2)}%`;
}
