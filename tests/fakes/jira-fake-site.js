// The fake Jira's site configuration: the projects, issue types, workflow, statuses,
// resolutions, priorities, custom fields and users a fresh or reset site starts with, and
// how each is written in a response. Both deployments share it; `dc` switches the user
// shape (Data Center names users by username, Cloud by accountId and may hide e-mails).
'use strict';

// Status category ids and keys as real Cloud and Data Center sites report them.
const CATEGORIES = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

const STATUSES = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '10001', name: 'In Progress', category: 'indeterminate' },
  { id: '10002', name: 'In Review', category: 'indeterminate' },
  { id: '10003', name: 'Done', category: 'done' },
];
const INITIAL_STATUS = '10000';

// One workflow for both projects. `from` lists the statuses a transition leaves (null:
// global, from anywhere but its target); `resolution` transitions carry the resolution
// field on their screen and enter a done status.
const TRANSITIONS = [
  { id: '11', name: 'To Do', to: '10000', from: ['10001', '10002'] },
  { id: '21', name: 'Start Progress', to: '10001', from: ['10000', '10002'] },
  { id: '31', name: 'Review', to: '10002', from: ['10001'] },
  { id: '41', name: 'Done', to: '10003', from: ['10000', '10001', '10002'], resolution: true },
  { id: '51', name: 'Reopen', to: '10000', from: ['10003'] },
];

const RESOLUTIONS = [
  { id: '10000', name: 'Done' },
  { id: '10001', name: "Won't Do" },
  { id: '10002', name: 'Duplicate' },
];
const DEFAULT_RESOLUTION = '10000';

const PRIORITIES = [
  { id: '1', name: 'Highest', statusColor: '#d04437' },
  { id: '2', name: 'High', statusColor: '#f15C75' },
  { id: '3', name: 'Medium', statusColor: '#f79232' },
  { id: '4', name: 'Low', statusColor: '#707070' },
  { id: '5', name: 'Lowest', statusColor: '#999999' },
];
const DEFAULT_PRIORITY = '3';

const ISSUE_TYPES = [
  { id: '10001', name: 'Task', description: 'A small, distinct piece of work.' },
  { id: '10002', name: 'Bug', description: 'A problem or error.' },
];

// Custom fields: Impact is a single select, required in SEC only; Team a text field in OPS.
const CUSTOM_FIELDS = {
  customfield_10050: {
    id: 'customfield_10050', name: 'Impact', kind: 'select', customId: 10050,
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
    options: [{ id: '10100', value: 'Low' }, { id: '10101', value: 'Medium' }, { id: '10102', value: 'High' }],
  },
  customfield_10060: {
    id: 'customfield_10060', name: 'Team', kind: 'text', customId: 10060,
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
  },
};

const PROJECTS = [
  { id: '10000', key: 'OPS', name: 'Operations', customFields: { customfield_10060: { required: false } } },
  { id: '10001', key: 'SEC', name: 'Security', customFields: { customfield_10050: { required: true } } },
];

// accountIds have the 24-hex-digit form of older Atlassian accounts; `hidden` users chose to
// hide their e-mail address (Cloud only: Data Center shows it). Carol is deactivated.
const USERS = [
  { accountId: '5b10ac8d82e05b22cc7d4e01', name: 'pmsync', key: 'JIRAUSER10000', email: 'pmsync@example.com',
    displayName: 'pmsync', active: true, hidden: false },
  { accountId: '5b10ac8d82e05b22cc7d4e02', name: 'alice', key: 'JIRAUSER10001', email: 'alice@example.com',
    displayName: 'Alice Example', active: true, hidden: false },
  { accountId: '5b10ac8d82e05b22cc7d4e03', name: 'bob', key: 'JIRAUSER10002', email: 'bob@example.com',
    displayName: 'Bob Example', active: true, hidden: true },
  { accountId: '5b10ac8d82e05b22cc7d4e04', name: 'carol', key: 'JIRAUSER10003', email: 'carol@example.com',
    displayName: 'Carol Example', active: false, hidden: false },
];
const API_USER = 0;

class Site {
  constructor(dc, base) {
    this.dc = dc;
    this.base = base; // "http://127.0.0.1:PORT", set once listening
    this.api = dc ? '/rest/api/2' : '/rest/api/3';
  }

  url(path) {
    return `${this.base}${this.api}${path}`;
  }

  project(ref) {
    if (ref == null) return null;
    const s = String(ref);
    return PROJECTS.find((p) => p.id === s || p.key.toLowerCase() === s.toLowerCase()) || null;
  }

  projects() {
    return PROJECTS;
  }

  issueType(ref) {
    return ISSUE_TYPES.find((t) => t.id === String(ref) || t.name.toLowerCase() === String(ref).toLowerCase()) || null;
  }

  issueTypes() {
    return ISSUE_TYPES;
  }

  status(ref) {
    const s = String(ref).toLowerCase();
    return STATUSES.find((x) => x.id === s || x.name.toLowerCase() === s) || null;
  }

  statuses() {
    return STATUSES;
  }

  initialStatus() {
    return INITIAL_STATUS;
  }

  category(key) {
    return CATEGORIES[key];
  }

  categories() {
    return Object.values(CATEGORIES);
  }

  categoryByName(ref) {
    const s = String(ref).toLowerCase();
    return this.categories().find((c) => c.key === s || c.name.toLowerCase() === s || String(c.id) === s) || null;
  }

  transition(id) {
    return TRANSITIONS.find((t) => t.id === String(id)) || null;
  }

  // The transitions a person may take from a status: only those that leave it.
  transitionsFrom(statusId) {
    return TRANSITIONS.filter((t) => t.from.includes(statusId));
  }

  resolution(ref) {
    if (ref == null) return null;
    const s = String(ref).toLowerCase();
    return RESOLUTIONS.find((r) => r.id === s || r.name.toLowerCase() === s) || null;
  }

  resolutions() {
    return RESOLUTIONS;
  }

  defaultResolution() {
    return DEFAULT_RESOLUTION;
  }

  priority(ref) {
    const s = String(ref).toLowerCase();
    return PRIORITIES.find((p) => p.id === s || p.name.toLowerCase() === s) || null;
  }

  priorities() {
    return PRIORITIES;
  }

  defaultPriority() {
    return DEFAULT_PRIORITY;
  }

  customField(id) {
    return CUSTOM_FIELDS[id] || null;
  }

  // The custom fields of a project, with whether each is required there.
  projectCustomFields(project) {
    return Object.entries(project.customFields).map(([id, cfg]) => ({ ...CUSTOM_FIELDS[id], required: cfg.required }));
  }

  users() {
    return USERS;
  }

  apiUser() {
    return USERS[API_USER];
  }

  userByAccountId(id) {
    return USERS.find((u) => u.accountId === id) || null;
  }

  userByName(name) {
    return USERS.find((u) => u.name === name || u.key === name) || null;
  }

  userByEmail(email) {
    return USERS.find((u) => u.email.toLowerCase() === String(email).toLowerCase()) || null;
  }

  avatarUrls(id) {
    const url = (size) => `${this.base}/secure/useravatar?size=${size}&avatarId=${id}`;
    return { '16x16': url('xsmall'), '24x24': url('small'), '32x32': url('medium'), '48x48': url('large') };
  }

  // A user as Jira writes one: Cloud leaves out a hidden e-mail address and has no name or
  // key (GDPR strict mode); Data Center has name and key and no accountId.
  renderUser(u) {
    if (!u) return null;
    if (this.dc) {
      return {
        self: this.url(`/user?username=${u.name}`), name: u.name, key: u.key, emailAddress: u.email,
        avatarUrls: this.avatarUrls(10122), displayName: u.displayName, active: u.active, timeZone: 'Etc/UTC',
      };
    }
    const out = { self: this.url(`/user?accountId=${u.accountId}`), accountId: u.accountId, accountType: 'atlassian' };
    if (!u.hidden) out.emailAddress = u.email;
    return Object.assign(out, {
      avatarUrls: this.avatarUrls(10122), displayName: u.displayName, active: u.active, timeZone: 'Etc/UTC',
    });
  }

  renderCategory(key) {
    const c = CATEGORIES[key];
    return { self: this.url(`/statuscategory/${c.id}`), id: c.id, key: c.key, colorName: c.colorName, name: c.name };
  }

  renderStatus(id) {
    const s = this.status(id);
    return {
      self: this.url(`/status/${s.id}`), description: '', iconUrl: `${this.base}/images/icons/statuses/generic.png`,
      name: s.name, id: s.id, statusCategory: this.renderCategory(s.category),
    };
  }

  renderResolution(id) {
    const r = this.resolution(id);
    return r ? { self: this.url(`/resolution/${r.id}`), id: r.id, name: r.name } : null;
  }

  renderPriority(id) {
    const p = this.priority(id);
    return {
      self: this.url(`/priority/${p.id}`), iconUrl: `${this.base}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
      name: p.name, id: p.id,
    };
  }

  renderIssueType(id) {
    const t = this.issueType(id);
    return {
      self: this.url(`/issuetype/${t.id}`), id: t.id, iconUrl: `${this.base}/images/icons/issuetypes/${t.name.toLowerCase()}.svg`,
      name: t.name, subtask: false, hierarchyLevel: 0,
    };
  }

  renderProject(p) {
    return {
      self: this.url(`/project/${p.id}`), id: p.id, key: p.key, name: p.name, projectTypeKey: 'software',
      simplified: false, avatarUrls: this.avatarUrls(10400),
    };
  }

  renderOption(fieldId, optionId) {
    const option = CUSTOM_FIELDS[fieldId].options.find((o) => o.id === optionId);
    return { self: this.url(`/customFieldOption/${option.id}`), value: option.value, id: option.id };
  }

  renderTransition(t, withFields) {
    const out = {
      id: t.id, name: t.name, to: this.renderStatus(t.to), hasScreen: Boolean(t.resolution), isGlobal: false,
      isInitial: false, isAvailable: true, isConditional: false, isLooped: false,
    };
    if (withFields) out.fields = t.resolution ? { resolution: this.resolutionFieldMeta() } : {};
    return out;
  }

  resolutionFieldMeta() {
    return {
      required: true, schema: { type: 'resolution', system: 'resolution' }, name: 'Resolution', key: 'resolution',
      hasDefaultValue: true, operations: ['set'], allowedValues: RESOLUTIONS.map((r) => this.renderResolution(r.id)),
      defaultValue: this.renderResolution(DEFAULT_RESOLUTION),
    };
  }
}

module.exports = { Site };
