// The window's own words for what went wrong: one message per ErrorCode (main/common/errors.ts) and per field
// problem (FieldIssueCode, main/common/rpc.ts), in every language. The host's English text is kept only as a
// secondary detail, so nothing English is left in the Chinese window. The Record types make a missing code a
// compile error; error-messages.test.ts also checks every code at run time against the lists the host uses.
import type { ErrorCode, FieldIssue, FieldIssueCode } from '../../../main/common/index.js';
import type { Language } from './index.js';

export const ERROR_MESSAGES: Record<Language, Record<ErrorCode, string>> = {
  en: {
    PARTIAL: 'The snapshot was saved, but some files could not be read.',
    LOCATION_NOT_EMPTY: 'This folder already holds other files. A repository needs a folder of its own: choose an empty or new folder.',
    NO_REPOSITORY: 'There is no restic repository at this location yet. Check the location, or initialise it.',
    REPOSITORY_LOCKED: 'The repository is locked by another restic process. Try again when it has finished, or unlock it if that process is gone.',
    WRONG_PASSWORD: 'The repository password is wrong.',
    CANCELLED: 'It was cancelled.',
    INTERRUPTED: 'It was interrupted: Backstay stopped while it ran.',
    SOURCE_MISSING: 'A folder or file to back up does not exist.',
    INDEX_DAMAGED: 'The repository index is damaged. Run "Repair index" under Repositories.',
    NETWORK: 'The other side is not answering: check the network and that the server is running.',
    RESTIC_FAILED: 'restic failed.',
    RESTIC_NOT_FOUND: 'restic was not found. Install restic, or set the restic program under Settings.',
    RESTIC_TOO_OLD: 'This restic is too old: Backstay needs restic 0.14.0 or newer.',
    RESTIC_KILLED: 'restic was stopped by the system before it finished.',
    NO_SNAPSHOT: 'restic ended without saving a snapshot.',
    MIRROR_INVALID: 'This mirror cannot receive copies: check the plan’s mirrors (a mirror must be another configured repository).',
    VERIFY_FAILED: 'The restore test failed: some files did not come back as they were saved.',
    PASSWORD_MISSING: 'The system keychain holds no password for this repository. Edit the repository and type its password again.',
    NOTHING_TO_VERIFY: 'There is nothing to test yet: this plan has no snapshot. Back it up first; nothing is wrong.',
    TOO_MANY_ARGUMENTS: 'The command line for restic was too long for the system. Use fewer exclude patterns or an exclude file.',
    RESTIC_START_FAILED: 'restic could not be started. Check that the restic program may be run.',
    CONFIG_INVALID: 'The configuration is not valid and was not changed.',
    CONFIG_CHANGED: 'config.json was changed outside Backstay meanwhile, so this was not saved. Look at the values now shown and save again.',
    UNKNOWN_PLAN: 'This plan does not exist (any more).',
    REPO_IN_USE: 'A plan still uses this repository (to back up to, or as a mirror). Delete that plan or point it at another repository first.',
    UNKNOWN_REPO: 'This repository does not exist (any more).',
    UNKNOWN_OPERATION: 'This operation does not exist (any more).',
    UNKNOWN_SNAPSHOT: 'This snapshot is not in the repository (any more).',
    PATH_NOT_IN_SNAPSHOT: 'This path is not in the snapshot.',
    TARGET_INVALID: 'This folder cannot be used as the target.',
    BAD_PARAMS: 'Some values are not valid.',
    UNKNOWN_METHOD: 'This Backstay does not know that request; is the window newer than the app?',
    ALREADY_RUNNING: 'This is already running.',
    NOT_SUPPORTED: 'This cannot be done here.',
    IMPORT_INVALID: 'This file cannot be imported. The message says where it went wrong; nothing was changed.',
    UNAUTHORIZED: 'This page is not signed in. Open the link that `backstay serve` printed.',
    FORBIDDEN: 'This page may not control Backstay.',
    PAYLOAD_TOO_LARGE: 'The request was too large.',
    REQUEST_TIMEOUT: 'There was no answer in time. Try again.',
    HOST_RUNNING: 'Another Backstay already runs on this data folder.',
    OPLOG_CORRUPT: 'The operation log is damaged. Move the file aside; Backstay starts a new one.',
    NOT_FOUND: 'It was not found.',
    NOT_A_FOLDER: 'This is a file, not a folder.',
    FOLDER_UNREADABLE: 'Backstay may not open this folder (permissions).',
    STORAGE_FAILED: 'Backstay could not write its files. Check the free space and the permissions of its data folder.',
    INTERNAL: 'Something went wrong inside Backstay. Its log has the details.',
  },
  'zh-CN': {
    PARTIAL: '快照已保存，但有些文件无法读取。',
    LOCATION_NOT_EMPTY: '此文件夹中已有其他文件。仓库需要一个单独的文件夹：请选择一个空文件夹或新文件夹。',
    NO_REPOSITORY: '此位置还没有 restic 仓库。请检查位置，或将其初始化。',
    REPOSITORY_LOCKED: '仓库被另一个 restic 进程锁定。请等它结束后重试；如果该进程已不存在，请解锁。',
    WRONG_PASSWORD: '仓库密码错误。',
    CANCELLED: '已被取消。',
    INTERRUPTED: '已中断：运行期间 Backstay 停止了。',
    SOURCE_MISSING: '要备份的某个文件夹或文件不存在。',
    INDEX_DAMAGED: '仓库索引已损坏。请在“仓库”中运行“修复索引”。',
    NETWORK: '对方没有响应：请检查网络以及服务器是否在运行。',
    RESTIC_FAILED: 'restic 运行失败。',
    RESTIC_NOT_FOUND: '找不到 restic。请安装 restic，或在“设置”中指定 restic 程序。',
    RESTIC_TOO_OLD: '此 restic 版本太旧：Backstay 需要 restic 0.14.0 或更新版本。',
    RESTIC_KILLED: 'restic 在完成前被系统终止。',
    NO_SNAPSHOT: 'restic 结束时没有保存快照。',
    MIRROR_INVALID: '此镜像无法接收副本：请检查计划的镜像（镜像必须是另一个已配置的仓库）。',
    VERIFY_FAILED: '恢复测试失败：部分文件未能按备份时的内容恢复。',
    PASSWORD_MISSING: '系统钥匙串中没有此仓库的密码。请编辑该仓库并重新输入密码。',
    NOTHING_TO_VERIFY: '暂时没有可测试的内容：此备份计划还没有快照。请先备份；这不是故障。',
    TOO_MANY_ARGUMENTS: 'restic 的命令行对系统来说太长。请减少排除规则或使用排除文件。',
    RESTIC_START_FAILED: '无法启动 restic。请检查 restic 程序是否可以运行。',
    CONFIG_INVALID: '配置无效，未作更改。',
    CONFIG_CHANGED: '在此期间 config.json 在 Backstay 之外被修改，所以没有保存。请查看现在显示的值后再保存一次。',
    UNKNOWN_PLAN: '此备份计划不存在（或已被删除）。',
    REPO_IN_USE: '仍有备份计划在使用此仓库（作为备份目标或镜像）。请先删除该计划，或让它改用其他仓库。',
    UNKNOWN_REPO: '此仓库不存在（或已被删除）。',
    UNKNOWN_OPERATION: '此操作不存在（或已被删除）。',
    UNKNOWN_SNAPSHOT: '仓库中没有（或已不再有）此快照。',
    PATH_NOT_IN_SNAPSHOT: '快照中没有此路径。',
    TARGET_INVALID: '此文件夹不能用作目标。',
    BAD_PARAMS: '有些值无效。',
    UNKNOWN_METHOD: '此 Backstay 不认识该请求；窗口是否比应用更新？',
    ALREADY_RUNNING: '已经在运行。',
    NOT_SUPPORTED: '这里不能这样做。',
    IMPORT_INVALID: '无法导入此文件。消息中写明了出错的位置；没有做任何更改。',
    UNAUTHORIZED: '此页面未登录。请打开 `backstay serve` 输出的链接。',
    FORBIDDEN: '此页面无权控制 Backstay。',
    PAYLOAD_TOO_LARGE: '请求太大。',
    REQUEST_TIMEOUT: '没有及时得到响应。请重试。',
    HOST_RUNNING: '已有另一个 Backstay 在使用此数据文件夹。',
    OPLOG_CORRUPT: '操作记录已损坏。请将该文件移到别处；Backstay 会新建一个。',
    NOT_FOUND: '未找到。',
    NOT_A_FOLDER: '这是一个文件，不是文件夹。',
    FOLDER_UNREADABLE: 'Backstay 无权打开此文件夹（权限不足）。',
    STORAGE_FAILED: 'Backstay 无法写入文件。请检查其数据文件夹的剩余空间和权限。',
    INTERNAL: 'Backstay 内部出错。详情见其日志。',
  },
};

/** A code the host did not define (another host's, a newer one's): say that it failed, and keep the detail. */
const UNKNOWN_ERROR: Record<Language, string> = {
  en: 'Backstay could not do that.',
  'zh-CN': 'Backstay 无法完成此操作。',
};

/** `{field}` is the field's name in the sentence (FIELD_LABELS); other `{...}` come from the issue's params. */
export const ISSUE_MESSAGES: Record<Language, Record<FieldIssueCode, string>> = {
  en: {
    required: '{field} must be filled in.',
    invalid_id: '{field} may use only a-z, 0-9, _ and -, starting with a letter or digit (at most 64 characters).',
    not_absolute: '{field} must be an absolute path, such as /home/me/Photos.',
    home_not_expanded: '{field} starts with ~, which is not expanded: write the home folder out in full, such as /home/me.',
    invalid_cron: '{field} is not a valid schedule: use 5 fields (minute hour day month weekday), such as 0 * * * *.',
    invalid_duration: '{field} must be a duration such as 30d, 6m or 1y2m (y years, m months, d days, h hours).',
    not_whole_number: '{field} must be a whole number.',
    too_small: '{field} must be at least {minimum}.',
    must_be_more: '{field} must be more than {minimum}.',
    too_big: '{field} must be at most {maximum}.',
    retention_empty: 'Choose at least one keep rule, or leave them all empty to keep every snapshot.',
    invalid_choice: '{field} is not one of the choices.',
    invalid_type: '{field} has the wrong kind of value.',
    unknown_key: 'Backstay does not know the setting “{key}”.',
    unknown_repo: 'There is no repository “{repo}”. Add it under Repositories first.',
    mirror_is_own_repo: 'A mirror must be another repository: “{repo}” is where this plan backs up to.',
    mirror_twice: '“{repo}” is already a mirror of this plan.',
    id_taken: '“{id}” is already taken: choose another name, or edit the existing one.',
    file_missing: '{field} does not exist.',
    file_unreadable: '{field} cannot be read by Backstay. Check its permissions.',
    not_a_file: '{field} is not a file.',
    env_not_set: 'The variable {name} is not set in the environment Backstay runs in. Set it and restart Backstay, or choose another password source.',
    restic_not_found: 'There is no program at this path. Check it, or leave the field empty to use restic from PATH.',
    restic_not_executable: 'This file may not be run. Make it executable (chmod +x) or choose another.',
    restic_not_restic: 'This program did not answer as restic does. Is it restic?',
    restic_too_old: 'This is restic {version}; Backstay needs restic {minimum} or newer.',
    no_day: '{field} needs at least one day.',
    invalid_time: '{field} must be a time such as 09:00.',
    same_times: '{field} ends when it starts. Choose two different times; for the whole day, use the limits above instead.',
    invalid: '{field} is not valid.',
  },
  'zh-CN': {
    required: '{field}不能为空。',
    invalid_id: '{field}只能使用 a-z、0-9、_ 和 -，并以字母或数字开头（最多 64 个字符）。',
    not_absolute: '{field}必须是绝对路径，例如 /home/me/Photos。',
    home_not_expanded: '{field}以 ~ 开头，但 ~ 不会被展开：请写出完整的主文件夹路径，例如 /home/me。',
    invalid_cron: '{field}不是有效的计划：请使用 5 个字段（分 时 日 月 星期），例如 0 * * * *。',
    invalid_duration: '{field}必须是时长，例如 30d、6m 或 1y2m（y 年、m 月、d 天、h 小时）。',
    not_whole_number: '{field}必须是整数。',
    too_small: '{field}至少为 {minimum}。',
    must_be_more: '{field}必须大于 {minimum}。',
    too_big: '{field}最多为 {maximum}。',
    retention_empty: '请至少选择一条保留规则，或全部留空以保留所有快照。',
    invalid_choice: '{field}不是可选的值之一。',
    invalid_type: '{field}的值类型不对。',
    unknown_key: 'Backstay 不认识设置“{key}”。',
    unknown_repo: '没有名为“{repo}”的仓库。请先在“仓库”中添加。',
    mirror_is_own_repo: '镜像必须是另一个仓库：“{repo}”就是此计划备份到的仓库。',
    mirror_twice: '“{repo}”已经是此计划的镜像。',
    id_taken: '“{id}”已被使用：请换一个名称，或编辑已有的那个。',
    file_missing: '{field}不存在。',
    file_unreadable: 'Backstay 无法读取{field}。请检查其权限。',
    not_a_file: '{field}不是文件。',
    env_not_set: 'Backstay 运行的环境中没有设置变量 {name}。请设置后重启 Backstay，或选择其他密码来源。',
    restic_not_found: '此路径下没有程序。请检查路径，或留空以使用 PATH 中的 restic。',
    restic_not_executable: '此文件不能运行。请将其设为可执行（chmod +x）或选择其他文件。',
    restic_not_restic: '此程序的回答不像 restic。它真的是 restic 吗？',
    restic_too_old: '这是 restic {version}；Backstay 需要 restic {minimum} 或更新版本。',
    no_day: '{field}至少需要选择一天。',
    invalid_time: '{field}必须是时间，例如 09:00。',
    same_times: '{field}的结束时间与开始时间相同。请选择两个不同的时间；若要全天生效，请改用上面的限速。',
    invalid: '{field}无效。',
  },
};

/** How a sentence names a field ("Folder 2", "第 2 个文件夹"); `{n}` counts from 1. */
export const FIELD_LABELS = {
  en: {
    id: 'The name',
    repo: 'The repository',
    path: 'Folder {n}',
    paths: 'The list of folders',
    exclude: 'Exclude pattern {n}',
    cron: 'The cron expression',
    schedule: 'The schedule',
    everyMinutes: 'The number of minutes',
    keep: 'This keep rule',
    keepWithin: 'The duration',
    uri: 'The location',
    passwordFile: 'The password file',
    passwordEnv: 'The variable',
    passwordCommand: 'The command',
    envKey: 'Variable {n}',
    envValue: 'The value of variable {n}',
    resticBinary: 'The restic program',
    seconds: 'This number of seconds',
    uploadLimit: 'The upload limit',
    downloadLimit: 'The download limit',
    rule: 'Time rule {n}',
    ruleDays: 'Time rule {n}',
    ruleFrom: 'The start of time rule {n}',
    ruleTo: 'The end of time rule {n}',
    ruleUpload: 'The upload limit of time rule {n}',
    ruleDownload: 'The download limit of time rule {n}',
    value: 'This value',
  },
  'zh-CN': {
    id: '名称',
    repo: '仓库',
    path: '第 {n} 个文件夹',
    paths: '文件夹列表',
    exclude: '第 {n} 条排除规则',
    cron: 'Cron 表达式',
    schedule: '计划',
    everyMinutes: '分钟数',
    keep: '此保留规则',
    keepWithin: '时长',
    uri: '位置',
    passwordFile: '密码文件',
    passwordEnv: '变量',
    passwordCommand: '命令',
    envKey: '第 {n} 个变量',
    envValue: '第 {n} 个变量的值',
    resticBinary: 'restic 程序',
    seconds: '此秒数',
    uploadLimit: '上传限速',
    downloadLimit: '下载限速',
    rule: '第 {n} 条时段规则',
    ruleDays: '第 {n} 条时段规则',
    ruleFrom: '第 {n} 条时段规则的开始时间',
    ruleTo: '第 {n} 条时段规则的结束时间',
    ruleUpload: '第 {n} 条时段规则的上传限速',
    ruleDownload: '第 {n} 条时段规则的下载限速',
    value: '此值',
  },
} as const satisfies Record<Language, Record<string, string>>;
export type FieldLabel = keyof (typeof FIELD_LABELS)['en'];

/** Words around errors: the summary above a form whose fields are marked, the disclosure of the host's text, names. */
export const ERROR_WORDS = {
  en: {
    fieldsMarked: 'Not saved: correct the marked fields.',
    details: 'Details',
    idChanged: 'Names use a-z, 0-9, _ and -: “{typed}” is saved as “{id}”.',
    idUnusable: '“{typed}” cannot be used: a name uses a-z, 0-9, _ and -, starting with a letter or digit.',
    resticDetecting: 'Looking for restic…',
  },
  'zh-CN': {
    fieldsMarked: '未保存：请更正标出的字段。',
    details: '详情',
    idChanged: '名称只能使用 a-z、0-9、_ 和 -：“{typed}”将保存为“{id}”。',
    idUnusable: '“{typed}”不能使用：名称只能使用 a-z、0-9、_ 和 -，并以字母或数字开头。',
    resticDetecting: '正在查找 restic…',
  },
} as const satisfies Record<Language, Record<string, string>>;

/** One of ERROR_WORDS with its placeholders filled. */
export function errorWord(language: Language, key: keyof (typeof ERROR_WORDS)['en'], vars: Record<string, string | number> = {}): string {
  return fill(ERROR_WORDS[language][key], vars);
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_MESSAGES.en, code);
}

/** The window's words for an error code. */
export function errorText(language: Language, code: string): string {
  return isKnownErrorCode(code) ? ERROR_MESSAGES[language][code] : UNKNOWN_ERROR[language];
}

/** The name of the field in a sentence, e.g. ("path", 2) -> "Folder 2". */
export function fieldLabel(language: Language, label: FieldLabel, n?: number): string {
  return fill(FIELD_LABELS[language][label], { n: n ?? '' });
}

/** One field problem in the window's words. */
export function issueText(language: Language, issue: Pick<FieldIssue, 'code' | 'params'>, field: string): string {
  const template = Object.hasOwn(ISSUE_MESSAGES[language], issue.code) ? ISSUE_MESSAGES[language][issue.code] : ISSUE_MESSAGES[language].invalid;
  const sentence = fill(template, { ...issue.params, field });
  // "{field}" opens most English sentences; a label that starts lower-case would not.
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
