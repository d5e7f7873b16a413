// The fake Jira's issues: creation, edits, transitions, entity properties, remote links,
// and the search index with its lag. Each issue carries a revision; the index holds a copy
// of each issue as of its last indexing, and search matches against those copies, so a new
// or edited issue is found (or still found as it was) only once the index catches up: after
// `lag.searches` searches have missed it or `lag.ms` milliseconds, whichever comes first,
// or at once when the search names its id in reconcileIssues.
'use strict';
const {
  JiraError, messageError, fieldErrors, readChanges, readProperties, propertyProblem, CREATE_FIELDS, EDIT_FIELDS,
} = require('./jira-fake-fields');

const BULK_LIMIT = 50;
// Cloud's per-issue write limits: 20 writes in 2 s and 100 in 30 s on one issue.
const ISSUE_WRITE_LIMITS = [[20, 2000], [100, 30000]];
const GLOBAL_ID_MAX = 255;

// Jira's timestamp form: 2026-03-14T09:30:00.000+0000.
function timestamp(ms) {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

// An IssueUpdateDetails body must be an object of known keys, as Jira's bean reader wants.
function checkUpdateBean(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw messageError(400, 'Can not deserialize instance of com.atlassian.jira.rest.v2.issue.IssueUpdateBean out of START_ARRAY token');
  }
  for (const key of Object.keys(body)) {
    if (!['fields', 'update', 'properties', 'transition', 'historyMetadata'].includes(key)) {
      throw messageError(400, `Unrecognized field "${key}" (Class com.atlassian.jira.rest.v2.issue.IssueUpdateBean), not marked as ignorable`);
    }
  }
}

// A refusal of a whole bulk request, in the CreatedIssues shape the bulk 400 declares.
function bulkRefusal(message) {
  const e = messageError(400, message);
  e.body = { issues: [], errors: [{ status: 400, elementErrors: { errorMessages: [message], errors: {} } }] };
  return e;
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

class Store {
  constructor(site, lag) {
    this.site = site;
    this.lag = { ...lag };
    this.reset();
  }

  reset() {
    this.issues = [];
    this.nextIssueId = 10000;
    this.nextLinkId = 10000;
    this.counters = Object.fromEntries(this.site.projects().map((p) => [p.id, 0]));
  }

  issue(ref) {
    if (ref == null) return null;
    const s = String(ref);
    if (/^\d+$/.test(s)) return this.issues.find((i) => i.id === s) || null;
    return this.issues.find((i) => i.key.toLowerCase() === s.toLowerCase()) || null;
  }

  requireIssue(ref) {
    const issue = this.issue(ref);
    if (!issue) throw messageError(404, 'Issue does not exist or you do not have permission to see it.');
    return issue;
  }

  // Marks an issue changed: the index must see it again before search does.
  touch(issue, now = Date.now()) {
    issue.rev++;
    issue.updated = now;
    issue.pending = { since: now, missed: 0 };
  }

  // Counts a write to one issue against Cloud's per-issue limits; returns the seconds to
  // wait when it is over one (the write is then refused and not counted), else 0.
  countWrite(issue, now = Date.now()) {
    issue.writes = (issue.writes || []).filter((t) => now - t < 30000);
    for (const [limit, window] of ISSUE_WRITE_LIMITS) {
      const recent = issue.writes.filter((t) => now - t < window);
      if (recent.length >= limit) return Math.max(1, Math.ceil((recent[0] + window - now) / 1000));
    }
    issue.writes.push(now);
    return 0;
  }

  deleteIssue(issue) {
    this.issues = this.issues.filter((i) => i !== issue);
  }

  // Checks a create body (IssueUpdateDetails) and returns what to create, or throws the
  // ErrorCollection Jira answers. Nothing changes here.
  prepareCreate(body) {
    checkUpdateBean(body);
    const fields = body.fields || {};
    const errors = {};
    const pref = fields.project;
    const project = pref && typeof pref === 'object' ? this.site.project(pref.id != null ? pref.id : pref.key) : null;
    if (!project) errors.project = 'Specify a valid project ID or key';
    const tref = fields.issuetype;
    let type = null;
    if (!tref) errors.issuetype = 'Specify an issue type';
    else if (typeof tref === 'object') type = this.site.issueType(tref.id != null ? tref.id : tref.name);
    if (tref && !type) errors.issuetype = 'The issue type selected is invalid.';
    if (!project) throw fieldErrors(errors);

    const changes = readChanges(this.site, project, body, CREATE_FIELDS, null, errors);
    if (!('summary' in changes) && !errors.summary) errors.summary = 'You must specify a summary of the issue.';
    for (const cf of this.site.projectCustomFields(project)) {
      if (cf.required && changes[cf.id] == null && !errors[cf.id]) errors[cf.id] = `${cf.name} is required.`;
    }
    const properties = readProperties(body.properties, errors);
    let transition = null;
    if (body.transition != null) {
      transition = this.site.transition(body.transition.id);
      if (!transition || !transition.from.includes(this.site.initialStatus())) {
        errors.transition = `Transition id '${body.transition.id}' is not valid for this issue.`;
      }
    }
    if (Object.keys(errors).length) throw fieldErrors(errors);
    return { project, type, changes, properties, transition };
  }

  commitCreate(plan) {
    const now = Date.now();
    const { project, type, changes } = plan;
    const n = ++this.counters[project.id];
    const issue = {
      id: String(this.nextIssueId++), key: `${project.key}-${n}`, projectId: project.id, issuetype: type.id,
      summary: changes.summary, description: changes.description == null ? null : changes.description,
      assignee: changes.assignee || null, reporter: changes.reporter || this.site.apiUser().accountId,
      duedate: changes.duedate || null, labels: changes.labels || [], priority: changes.priority || this.site.defaultPriority(),
      custom: {}, status: this.site.initialStatus(), resolution: null, resolutiondate: null,
      created: now, updated: now, statuscategorychangedate: now,
      properties: {}, remoteLinks: [], rev: 0, indexed: null, pending: null,
    };
    for (const cf of this.site.projectCustomFields(project)) issue.custom[cf.id] = changes[cf.id] == null ? null : changes[cf.id];
    for (const p of plan.properties) issue.properties[p.key] = clone(p.value);
    if (plan.transition) this.enterStatus(issue, plan.transition, null, now);
    this.issues.push(issue);
    this.touch(issue, now);
    return issue;
  }

  create(body) {
    return this.commitCreate(this.prepareCreate(body));
  }

  // POST /issue/bulk: each element on its own; the failures come back in `errors` with
  // the element's 0-based index, the created issues in order.
  createBulk(body) {
    if (!body || typeof body !== 'object' || !Array.isArray(body.issueUpdates) || body.issueUpdates.length === 0) {
      throw bulkRefusal('Issue updates must not be null or empty.');
    }
    if (body.issueUpdates.length > BULK_LIMIT) {
      throw bulkRefusal(`Too many issues to create in bulk. Maximum allowed is ${BULK_LIMIT}.`);
    }
    const issues = [];
    const errors = [];
    body.issueUpdates.forEach((u, i) => {
      try {
        issues.push(this.create(u));
      } catch (e) {
        if (!(e instanceof JiraError)) throw e;
        errors.push({ status: e.status, elementErrors: e.body, failedElementNumber: i });
      }
    });
    return { issues, errors };
  }

  edit(issue, body) {
    checkUpdateBean(body);
    const errors = {};
    const project = this.site.project(issue.projectId);
    const changes = readChanges(this.site, project, body, EDIT_FIELDS, issue, errors);
    for (const cf of this.site.projectCustomFields(project)) {
      if (cf.required && cf.id in changes && changes[cf.id] == null) errors[cf.id] = `${cf.name} is required.`;
    }
    const properties = readProperties(body.properties, errors);
    if (Object.keys(errors).length) throw fieldErrors(errors);
    for (const [id, value] of Object.entries(changes)) {
      if (id.startsWith('customfield_')) issue.custom[id] = value;
      else issue[id] = value;
    }
    for (const p of properties) issue.properties[p.key] = clone(p.value);
    this.touch(issue);
  }

  // Moves an issue along a transition: entering a done status sets the resolution (the
  // screen's value, else Done) and its date; leaving one clears both.
  enterStatus(issue, transition, resolutionId, now) {
    const from = this.site.status(issue.status);
    const to = this.site.status(transition.to);
    issue.status = to.id;
    if (from.category !== to.category) issue.statuscategorychangedate = now;
    if (to.category === 'done') {
      issue.resolution = resolutionId || this.site.defaultResolution();
      issue.resolutiondate = now;
    } else {
      issue.resolution = null;
      issue.resolutiondate = null;
    }
  }

  availableTransitions(issue) {
    return this.site.transitionsFrom(issue.status);
  }

  doTransition(issue, body) {
    const id = body && typeof body === 'object' && body.transition ? body.transition.id : undefined;
    if (!/^\d+$/.test(String(id))) throw messageError(400, "'transition' identifier must be an integer");
    const t = this.site.transition(body.transition.id);
    if (!t || !t.from.includes(issue.status)) {
      throw messageError(400, `Transition id '${body.transition.id}' is not valid for this issue.`);
    }
    const fields = body.fields || {};
    const errors = {};
    let resolutionId = null;
    for (const [id, v] of Object.entries(fields)) {
      if (id !== 'resolution' || !t.resolution) {
        errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
        continue;
      }
      const r = v && typeof v === 'object' ? this.site.resolution(v.id != null ? v.id : v.name) : null;
      if (!r) errors.resolution = 'The resolution selected is invalid.';
      else resolutionId = r.id;
    }
    for (const id of Object.keys(body.update || {})) errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
    if (Object.keys(errors).length) throw fieldErrors(errors);
    const now = Date.now();
    this.enterStatus(issue, t, resolutionId, now);
    this.touch(issue, now);
  }

  setProperty(issue, key, value) {
    const problem = propertyProblem(key, value);
    if (problem) throw messageError(400, problem);
    const existed = key in issue.properties;
    issue.properties[key] = clone(value);
    this.touch(issue);
    return existed;
  }

  deleteProperty(issue, key) {
    if (!(key in issue.properties)) throw messageError(404, `The property with key '${key}' does not exist.`);
    delete issue.properties[key];
    this.touch(issue);
  }

  // A remote link body's fields; left out ones are null, as Jira stores them.
  remoteLinkFields(body) {
    const errors = {};
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw messageError(400, 'No content to map to Object due to end of input');
    const obj = body.object;
    if (!obj || typeof obj !== 'object') errors.object = "'object' is required.";
    else {
      if (typeof obj.url !== 'string' || !obj.url) errors.url = "'url' is required.";
      if (typeof obj.title !== 'string' || !obj.title) errors.title = "'title' is required.";
    }
    if (body.globalId != null && (typeof body.globalId !== 'string' || body.globalId.length > GLOBAL_ID_MAX)) {
      errors.globalId = `'globalId' must be at most ${GLOBAL_ID_MAX} characters.`;
    }
    if (Object.keys(errors).length) throw fieldErrors(errors);
    return {
      globalId: body.globalId == null ? null : body.globalId,
      application: body.application == null ? null : clone(body.application),
      relationship: body.relationship == null ? null : body.relationship,
      object: clone(obj),
    };
  }

  // POST remotelink: with a globalId already on this issue, the link is replaced whole
  // (fields left out become null); otherwise a new link. Returns [link, created].
  upsertRemoteLink(issue, body) {
    const fields = this.remoteLinkFields(body);
    let link = fields.globalId != null ? issue.remoteLinks.find((l) => l.globalId === fields.globalId) : null;
    const created = !link;
    if (link) Object.assign(link, fields);
    else {
      link = { id: this.nextLinkId++, ...fields };
      issue.remoteLinks.push(link);
    }
    return [link, created];
  }

  remoteLink(issue, linkId) {
    const link = issue.remoteLinks.find((l) => String(l.id) === String(linkId));
    if (!link) throw messageError(404, 'No remote link with the given id found.');
    return link;
  }

  remoteLinkByGlobalId(issue, globalId) {
    const link = issue.remoteLinks.find((l) => l.globalId === globalId);
    if (!link) throw messageError(404, 'No remote link with the given globalId found.');
    return link;
  }

  deleteRemoteLink(issue, link) {
    issue.remoteLinks = issue.remoteLinks.filter((l) => l !== link);
  }

  // The index's view of the issues, brought up to date as a search starts: an issue waits
  // until `lag.searches` searches have missed it or `lag.ms` have passed.
  catchUp(now = Date.now()) {
    for (const issue of this.issues) {
      if (!issue.pending) continue;
      if (issue.pending.missed >= this.lag.searches || now - issue.pending.since >= this.lag.ms) this.index(issue);
    }
  }

  index(issue) {
    const { pending, indexed, remoteLinks, writes, ...copy } = issue;
    void pending;
    void indexed;
    void remoteLinks;
    void writes;
    issue.indexed = clone(copy);
    issue.pending = null;
  }

  reindexAll() {
    for (const issue of this.issues) if (issue.pending) this.index(issue);
  }

  // Runs one search: `matches` is the JQL predicate over an issue record. Returns the
  // current records of the issues whose indexed copy matches, or whose current state
  // matches when their id is in `reconcile`.
  search(matches, reconcile = []) {
    this.catchUp();
    const fresh = new Set(reconcile.map(String));
    const found = [];
    for (const issue of this.issues) {
      const view = fresh.has(issue.id) ? issue : issue.indexed;
      if (view && matches(view)) found.push(issue);
    }
    for (const issue of this.issues) if (issue.pending) issue.pending.missed++;
    return found;
  }
}

module.exports = { Store, timestamp, clone, BULK_LIMIT };
