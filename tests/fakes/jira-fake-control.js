// The fake Jira's control API under /__fake/: what tests use to look at the site, act as a
// person in Jira (move, edit, seed tickets), reset it, count requests, inject faults and
// tune the index lag. The paths and fault keys are the fake Linear's, so the end-to-end
// library drives both the same way. Errors are {"error": message} with a 4xx status.
'use strict';
const { timestamp } = require('./jira-fake-store');

const FAULT_KEYS = ['latency_ms', 'ratelimit', 'error5xx', 'fail_at', 'drop_at', 'pause_at'];

class ControlError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Rejects unknown keys and values of the wrong JSON type ("string", "number", "boolean",
// "array", "object"); null means "none" anywhere.
function checkShape(object, types) {
  if (!object || typeof object !== 'object' || Array.isArray(object)) throw new ControlError(400, 'expected a JSON object');
  for (const [key, value] of Object.entries(object)) {
    const want = types[key];
    if (!want) throw new ControlError(400, `unknown key "${key}"; known: ${Object.keys(types).join(', ')}`);
    const got = Array.isArray(value) ? 'array' : typeof value;
    if (value !== null && got !== want) throw new ControlError(400, `"${key}" must be a JSON ${want}`);
  }
}

// The fake Linear's names for the same things, so one test library drives both fakes.
const LINEAR_NAMES = {
  title: 'summary', dueDate: 'duedate', assigneeEmail: 'assignee', name: 'status', type: 'category',
  teamKey: 'project', state: 'status', stateType: 'category',
};
// Linear's state types as status categories; canceled is done with the resolution Won't Do.
const LINEAR_TYPES = {
  triage: ['new'], backlog: ['new'], unstarted: ['new'], started: ['indeterminate'], completed: ['done'],
  canceled: ['done', "Won't Do"], duplicate: ['done', 'Duplicate'],
};

// A control request with Linear's key names rewritten to Jira's.
function jiraNames(spec) {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return spec;
  const out = {};
  for (const [key, value] of Object.entries(spec)) {
    const name = LINEAR_NAMES[key] || key;
    if (name in out) throw new ControlError(400, `"${key}" names the same thing as another key`);
    out[name] = value;
  }
  if (typeof out.category === 'string' && LINEAR_TYPES[out.category]) {
    const [category, resolution] = LINEAR_TYPES[out.category];
    out.category = category;
    if (resolution && out.resolution == null) out.resolution = resolution;
  }
  return out;
}

// A plain text as a description: one ADF paragraph on Cloud, the string on Data Center.
function textDescription(site, text) {
  if (text == null || site.dc) return text;
  return { type: 'doc', version: 1, content: text ? [{ type: 'paragraph', content: [{ type: 'text', text }] }] : [] };
}

class Control {
  constructor(fake) {
    this.fake = fake;
    this.routes = [
      ['GET', /^\/__fake\/issues$/, () => ({ issues: this.store.issues.map((i) => this.describe(i)) })],
      ['POST', /^\/__fake\/issues\/([^/]+)\/state$/, (m, b) => this.moveToState(m[1], b)],
      ['POST', /^\/__fake\/issues\/([^/]+)\/update$/, (m, b) => this.editIssue(m[1], b)],
      ['POST', /^\/__fake\/issues\/([^/]+)\/delete$/, (m) => {
        this.store.deleteIssue(this.issueOrThrow(m[1]));
        return { deleted: true };
      }],
      ['POST', /^\/__fake\/seed$/, (m, b) => this.seed(b)],
      ['POST', /^\/__fake\/reset$/, () => {
        this.fake.resetRun();
        return { reset: true };
      }],
      ['POST', /^\/__fake\/faults$/, (m, b) => this.setFaults(b)],
      ['GET', /^\/__fake\/paused$/, () => (this.fake.paused ? { paused: true, request: this.fake.paused.request } : { paused: false })],
      ['POST', /^\/__fake\/resume$/, () => ({ resumed: this.fake.resume() })],
      ['GET', /^\/__fake\/requests$/, () => ({ ...this.fake.stats, seq: this.fake.seq })],
      ['POST', /^\/__fake\/requests\/reset$/, () => {
        this.fake.resetStats();
        return { ...this.fake.stats, seq: this.fake.seq };
      }],
      ['POST', /^\/__fake\/settings$/, (m, b) => this.setSettings(b)],
      ['POST', /^\/__fake\/reindex$/, () => {
        this.store.reindexAll();
        return { reindexed: true };
      }],
    ];
  }

  get store() {
    return this.fake.store;
  }

  get site() {
    return this.fake.site;
  }

  handle(method, pathname, body) {
    const route = this.routes.find(([m, re]) => m === method && re.test(pathname));
    if (!route) throw new ControlError(404, `no control endpoint ${method} ${pathname}`);
    return route[2](route[1].exec(pathname), body);
  }

  describe(issue) {
    const s = this.site;
    const status = s.status(issue.status);
    const user = (id) => (id ? s.userByAccountId(id).email : null);
    const resolution = s.resolution(issue.resolution);
    const custom = {};
    for (const [id, v] of Object.entries(issue.custom)) {
      const f = s.customField(id);
      custom[id] = v == null ? null : f.kind === 'select' ? f.options.find((o) => o.id === v).value : v;
    }
    return {
      id: issue.id, key: issue.key, url: `${s.base}/browse/${issue.key}`, identifier: issue.key, title: issue.summary,
      assigneeEmail: user(issue.assignee),
      dueDate: issue.duedate, state: { name: status.name, category: status.category },
      project: s.project(issue.projectId).key, issuetype: s.issueType(issue.issuetype).name,
      summary: issue.summary, description: issue.description, labels: issue.labels.slice(),
      properties: JSON.parse(JSON.stringify(issue.properties)), status: status.name, statusCategory: status.category,
      resolution: resolution ? resolution.name : null,
      resolutiondate: issue.resolutiondate == null ? null : timestamp(issue.resolutiondate),
      assignee: user(issue.assignee), reporter: user(issue.reporter), duedate: issue.duedate,
      priority: s.priority(issue.priority).name, custom,
      remoteLinks: issue.remoteLinks.map((l) => JSON.parse(JSON.stringify(l))),
      created: timestamp(issue.created), updated: timestamp(issue.updated), indexed: issue.pending == null,
    };
  }

  issueOrThrow(ref) {
    const issue = this.store.issue(decodeURIComponent(ref));
    if (!issue) throw new ControlError(404, `no issue "${decodeURIComponent(ref)}"`);
    return issue;
  }

  userIdOrThrow(email) {
    if (email == null) return null;
    const u = this.site.userByEmail(email);
    if (!u) throw new ControlError(400, `no user "${email}"`);
    return u.accountId;
  }

  // A person moves the ticket, workflow or not: {"status": "Done"} or {"category": "done"},
  // with an optional resolution name for a done status.
  moveToState(ref, given) {
    const spec = jiraNames(given);
    checkShape(spec, { status: 'string', category: 'string', resolution: 'string' });
    const issue = this.issueOrThrow(ref);
    const status = this.statusOrThrow(spec);
    const resolution = spec.resolution != null ? this.site.resolution(spec.resolution) : null;
    if (spec.resolution != null && !resolution) throw new ControlError(400, `no resolution "${spec.resolution}"`);
    this.store.enterStatus(issue, { to: status.id }, resolution && resolution.id, Date.now());
    this.store.touch(issue);
    return this.describe(issue);
  }

  statusOrThrow(spec) {
    const status = spec.status != null ? this.site.status(spec.status)
      : spec.category != null ? this.site.statuses().find((s) => s.category === spec.category) : null;
    if (!status) throw new ControlError(400, `no status matching ${JSON.stringify(spec)}`);
    return status;
  }

  // A person edits the ticket in Jira's screens: no field rules beyond the value types.
  editIssue(ref, given) {
    const spec = jiraNames(given);
    checkShape(spec, {
      summary: 'string', description: 'string', duedate: 'string', assignee: 'string', labels: 'array', priority: 'string',
      addLabel: 'string',
    });
    const issue = this.issueOrThrow(ref);
    this.applyEdits(issue, spec);
    this.store.touch(issue);
    return this.describe(issue);
  }

  applyEdits(issue, spec) {
    if (spec.duedate != null && !/^\d{4}-\d{2}-\d{2}$/.test(spec.duedate)) throw new ControlError(400, 'duedate must be yyyy-mm-dd or null');
    if ('summary' in spec) issue.summary = spec.summary;
    if ('description' in spec) issue.description = textDescription(this.site, spec.description);
    if ('duedate' in spec) issue.duedate = spec.duedate;
    if ('assignee' in spec) issue.assignee = this.userIdOrThrow(spec.assignee);
    if ('labels' in spec) issue.labels = [...new Set(spec.labels || [])].sort();
    if (spec.addLabel != null) issue.labels = [...new Set(issue.labels.concat(spec.addLabel))].sort();
    if (spec.priority != null) {
      const p = this.site.priority(spec.priority);
      if (!p) throw new ControlError(400, `no priority "${spec.priority}"`);
      issue.priority = p.id;
    }
  }

  // Tickets made by people: created through the same rules as the API (a required field
  // still has to be there), then moved and edited. All or nothing.
  seed(spec) {
    checkShape(spec, { issues: 'array' });
    const plans = (spec.issues || []).map((given) => {
      const s = jiraNames(given);
      checkShape(s, {
        project: 'string', summary: 'string', description: 'string', duedate: 'string', assignee: 'string',
        labels: 'array', priority: 'string', status: 'string', resolution: 'string', properties: 'object', impact: 'string',
        indexed: 'boolean', category: 'string',
      });
      const fields = { project: { key: s.project }, issuetype: { name: 'Task' }, summary: s.summary };
      if (s.impact != null) fields.customfield_10050 = { value: s.impact };
      const plan = this.store.prepareCreate({ fields });
      if (s.status != null || s.category != null) this.statusOrThrow(s);
      if (s.resolution != null && !this.site.resolution(s.resolution)) throw new ControlError(400, `no resolution "${s.resolution}"`);
      if (s.assignee != null) this.userIdOrThrow(s.assignee);
      return [s, plan];
    });
    const created = plans.map(([s, plan]) => {
      const issue = this.store.commitCreate(plan);
      this.applyEdits(issue, s);
      for (const [k, v] of Object.entries(s.properties || {})) issue.properties[k] = v;
      if (s.status != null || s.category != null) {
        const resolution = s.resolution != null ? this.site.resolution(s.resolution) : null;
        this.store.enterStatus(issue, { to: this.statusOrThrow(s).id }, resolution && resolution.id, Date.now());
      }
      if (s.indexed !== false) this.store.index(issue);
      return { id: issue.id, key: issue.key };
    });
    return { issues: created };
  }

  setFaults(spec) {
    const faults = {};
    for (const [key, value] of Object.entries(spec)) {
      if (!FAULT_KEYS.includes(key)) throw new ControlError(400, `unknown fault "${key}"; known: ${FAULT_KEYS.join(', ')}`);
      if (!Number.isInteger(value) || value < 0) throw new ControlError(400, `fault "${key}" must be a non-negative integer`);
      faults[key] = value;
    }
    this.fake.faults = faults;
    return { faults, seq: this.fake.seq };
  }

  setSettings(spec) {
    checkShape(spec, {
      dc_bulk: 'boolean', lag_searches: 'number', lag_ms: 'number', issue_write_limit: 'boolean', issue_linking: 'boolean',
    });
    for (const k of ['lag_searches', 'lag_ms']) {
      if (spec[k] != null && (!Number.isInteger(spec[k]) || spec[k] < 0)) throw new ControlError(400, `"${k}" must be a non-negative integer`);
    }
    if (spec.dc_bulk != null) this.fake.settings.dcBulk = spec.dc_bulk;
    if (spec.issue_write_limit != null) this.fake.settings.issueWriteLimit = spec.issue_write_limit;
    if (spec.issue_linking != null) this.fake.settings.issueLinking = spec.issue_linking;
    if (spec.lag_searches != null) this.store.lag.searches = spec.lag_searches;
    if (spec.lag_ms != null) this.store.lag.ms = spec.lag_ms;
    return {
      dc_bulk: this.fake.settings.dcBulk, lag_searches: this.store.lag.searches, lag_ms: this.store.lag.ms,
      issue_write_limit: this.fake.settings.issueWriteLimit, issue_linking: this.fake.settings.issueLinking,
    };
  }
}

module.exports = { Control, ControlError };
