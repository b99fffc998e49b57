// Hand-written sample files in each tool's documented format (Backrest's config.proto as protobuf JSON;
// resticprofile's profiles file, versions 1 and 2, in YAML, TOML and JSON). Written for these tests, not copied.

/** Backrest config.json: two repositories (one with a plaintext password and a cloud key), three plans. */
export const BACKREST_CONFIG = {
  modno: 12,
  version: 4,
  instance: 'laptop',
  repos: [
    {
      id: 'nas',
      uri: 'rest:http://127.0.0.1:8000/laptop',
      guid: '4f1c2a',
      password: 'correct horse battery staple',
      env: ['RESTIC_COMPRESSION=max'],
      flags: ['--option=rest.connections=4'],
      prunePolicy: { schedule: { maxFrequencyDays: 7, clock: 'CLOCK_LAST_RUN_TIME' }, maxUnusedPercent: 10 },
      checkPolicy: { schedule: { cron: '0 3 * * 0', clock: 'CLOCK_LOCAL' }, readDataSubsetPercent: 5 },
      hooks: [
        {
          conditions: ['CONDITION_SNAPSHOT_ERROR', 'CONDITION_PRUNE_ERROR'],
          actionDiscord: { webhookUrl: 'https://discord.example/api/webhooks/1', template: '{{ .Summary }}' },
        },
      ],
      autoUnlock: true,
    },
    {
      id: 'Cloud B2',
      uri: 's3:https://s3.example.com/bucket',
      env: ['AWS_ACCESS_KEY_ID=AKIAEXAMPLE', 'AWS_SECRET_ACCESS_KEY=wJalrEXAMPLEKEY', 'RESTIC_PASSWORD_FILE=/etc/restic/cloud.pass'],
    },
  ],
  plans: [
    {
      id: 'home',
      repo: 'nas',
      paths: ['/home/me/Documents', '~/Pictures'],
      excludes: ['**/node_modules', '*.tmp'],
      iexcludes: ['*.DS_Store'],
      schedule: { cron: '0 * * * *', clock: 'CLOCK_LOCAL' },
      retention: { policyTimeBucketed: { hourly: 24, daily: 7, weekly: 4, monthly: 12, yearly: 3 } },
      hooks: [
        { conditions: ['CONDITION_SNAPSHOT_START'], actionCommand: { command: 'notify-send "backup started"' } },
        { conditions: ['CONDITION_SNAPSHOT_END'], actionWebhook: { webhookUrl: 'https://hooks.example/backup', method: 'POST' } },
        { conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionSlack: { webhookUrl: 'https://hooks.slack.example/x' } },
      ],
      backup_flags: ['--exclude-caches'],
    },
    {
      id: 'photos',
      repo: 'Cloud B2',
      paths: ['/srv/photos'],
      schedule: { maxFrequencyHours: 6 },
      retention: { policyKeepLastN: 30 },
    },
    {
      id: 'weekly-odd',
      repo: 'nas',
      paths: ['/etc'],
      schedule: { cron: '0 0 * * * *' },
      retention: { policyKeepAll: true },
    },
  ],
  auth: { disabled: false, users: [{ name: 'me', passwordBcrypt: 'JDJhJDEwJGV4YW1wbGU=' }] },
};

/** resticprofile version 1 YAML: a base profile inherited by two, a copy section, a template, systemd schedules. */
export const RESTICPROFILE_V1_YAML = `version: "1"

global:
  default-command: snapshots
  initialize: false

default:
  repository: "local:/backup/restic"
  password-file: "key.txt"
  initialize: true
  env:
    RESTIC_COMPRESSION: auto

documents:
  inherit: default
  description: My documents
  backup:
    source:
      - "/home/me/Documents"
      - "$HOME/Notes"
    exclude:
      - "*.bak"
    iexclude:
      - "*.TMP"
    schedule:
      - "Mon..Fri *-*-* 08:30"
      - "Sat 10:00:30"
  retention:
    after-backup: true
    keep-last: 3
    keep-daily: 7
    keep-within: 30d
  copy:
    repository: "sftp:backup@offsite.example:/restic"
    password-file: "/etc/restic/offsite.pass"
    schedule: "daily"

system:
  inherit: default
  backup:
    source: "/etc"
    tag: ["{{ .Profile.Name }}"]
    schedule: "*-*-01 02:00 UTC"
  prune:
    schedule: "Sun *-*-* 04:00"

cloud:
  repository: "s3:https://s3.example.com/restic-{{ .Profile.Name }}"
  backup:
    source: "/srv"
`;

/** resticprofile version 2 TOML: profiles under [profiles], an inline RESTIC_PASSWORD that must not reach config.json. */
export const RESTICPROFILE_V2_TOML = `version = "2"

[global]
priority = "low"

[profiles.base]
repository = "rest:http://127.0.0.1:8000/"
password-command = "pass show restic"

[profiles.base.env]
RCLONE_BWLIMIT = "1M"

[profiles.work]
inherit = "base"

[profiles.work.backup]
source = ["/home/me/work"]
exclude = ["target", "node_modules"]
schedule = "*:0/15"

[profiles.work.retention]
keep-hourly = 24
keep-weekly = 8

[profiles.secret]
repository = "/mnt/usb/restic"

[profiles.secret.env]
RESTIC_PASSWORD = "hunter2-inline"

[profiles.secret.backup]
source = ["/home/me/secret"]
schedule = "hourly"
`;

/** resticprofile version 1 JSON. */
export const RESTICPROFILE_V1_JSON = JSON.stringify(
  {
    version: '1',
    default: {
      repository: 'local:/backup/json',
      'password-file': '/etc/restic/json.pass',
      backup: { source: ['/home/me'], exclude: ['.cache'], schedule: 'weekly' },
      retention: { 'keep-monthly': 6 },
    },
  },
  null,
  2,
);
