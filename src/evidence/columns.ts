/**
 * One set of column names for every reader of manifests and drive logs: `scan manifest`, `scan
 * drivelog`, `ledger import`, the workspace's `evidence[].columns` and the README all use these
 * categories and these default header names (matched case-insensitively; Chinese as Excel exports write
 * them). `--column category=name` replaces the defaults of one category.
 *
 * 姓名 (a person's name) is deliberately **not** an identifier: names are not unique, so counting
 * persons by name would merge different people (a count that errs low). A file whose only person
 * column is a name is refused with a message that says so.
 */

export const MANIFEST_COLUMNS = {
  vin: ['vin', 'vehicle_vin', 'vehicleVin', '车架号', '车辆识别代号', '车辆识别号', 'VIN码'],
  iccid: ['iccid', '物联网卡号', 'ICCID号'],
  imsi: ['imsi', 'IMSI号'],
  personId: ['person_id', 'personId', 'person', 'id_number', 'idNumber', '身份证号', '身份证号码', '证件号码', '证件号', '客户编号', '用户编号'],
  phone: ['phone', 'phone_number', 'phoneNumber', 'mobile', '手机号', '手机号码', '手机', '联系电话', '电话号码', '电话'],
  sensitive: ['sensitive', 'sensitive_pi', 'sensitivePi', 'has_sensitive_pi', '敏感', '敏感个人信息', '是否敏感', '含敏感个人信息'],
  charging: ['charging', 'charging_consumption', 'chargingConsumption', '充电', '充电消费', '充电消费数据', '含充电消费数据'],
} as const;
export type ManifestCategory = keyof typeof MANIFEST_COLUMNS;
export const MANIFEST_CATEGORIES = Object.keys(MANIFEST_COLUMNS) as ManifestCategory[];
export const IDENTIFIER_CATEGORIES_OF_MANIFEST: readonly ManifestCategory[] = ['vin', 'iccid', 'imsi', 'personId', 'phone'];

export const DRIVELOG_COLUMNS = {
  clipId: ['clip_id', 'clipId', 'clip', 'id', '片段编号', '片段ID', '视频编号'],
  vin: MANIFEST_COLUMNS.vin,
  duration: ['duration_s', 'durationS', 'duration', 'duration_sec', 'seconds', '时长(秒)', '时长（秒）', '时长_秒', '时长'],
  start: ['start', 'start_time', 'startTime', 'started_at', 'start_ts', '开始时间'],
  end: ['end', 'end_time', 'endTime', 'ended_at', 'end_ts', '结束时间'],
  distance: ['distance_km', 'distanceKm', 'km', 'distance', '里程(公里)', '里程（公里）', '里程_公里', '里程'],
  frames: ['frames', 'pictures', 'frame_count', 'frameCount', 'images', '帧数', '图片数', '图片数量'],
  kind: ['kind', 'type', 'media', '类型', '媒体类型'],
} as const;
export type DrivelogCategory = keyof typeof DRIVELOG_COLUMNS;
export const DRIVELOG_CATEGORIES = Object.keys(DRIVELOG_COLUMNS) as DrivelogCategory[];

/**
 * Older spellings of a category, accepted so existing commands and workspaces keep working
 * (`ledger import --column chargingConsumption=…` predates the single table).
 */
export const CATEGORY_ALIASES: Readonly<Record<string, ManifestCategory>> = { chargingConsumption: 'charging' };

/** Header names that hold a person's name: never an identifier (see above). */
export const NAME_COLUMNS = ['name', 'full_name', 'fullname', 'customer_name', 'owner_name', '姓名', '名字', '客户姓名', '车主姓名'];

/** Yes/no cells, as people write them (English, Chinese, Excel's TRUE/FALSE). */
export const YES_WORDS = new Set(['true', '1', 'yes', 'y', 't', '是', '有', '√']);
export const NO_WORDS = new Set(['false', '0', 'no', 'n', 'f', '否', '无', '']);

/** Header cell -> normalised for matching (trimmed, lower-case, BOM dropped). */
export function normaliseHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, '').trim().toLowerCase();
}

const KNOWN = new Set<string>(
  [...Object.values(MANIFEST_COLUMNS).flat(), ...Object.values(DRIVELOG_COLUMNS).flat(), ...NAME_COLUMNS].map((c) => normaliseHeader(c)),
);

/** Whether a first line (CSV header or JSONL object text) names at least one known column. */
export function namesKnownColumn(firstLine: string): boolean {
  for (const token of firstLine.split(/[,\t;"{}:\r]/)) if (KNOWN.has(normaliseHeader(token))) return true;
  return false;
}
