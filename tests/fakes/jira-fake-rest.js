// The fake Jira's REST resources: Cloud's /rest/api/3 or Data Center's /rest/api/2, each
// route named by the operationId Atlassian's OpenAPI file gives it, answering as Jira does
// (shapes, status codes, ErrorCollection refusals). route() finds the handler for a method
// and path; handlers take {match, query, body, raw} and return {status, body} or throw a
// JiraError.
'use strict';
const { messageError, JiraError } = require('./jira-fake-fields');
const { parseJql, sortIssues } = require('./jira-fake-jql');
const { timestamp, clone, BULK_LIMIT } = require('./jira-fake-store');

const SEARCH_REMOVED = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. '
  + 'A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const RECONCILE_LIMIT = 50;
// The 410 as observed since the removal: errorMessages alone.
function removedError() {
  const e = messageError(410, SEARCH_REMOVED);
  delete e.body.errors;
  return e;
}
const PROPERTIES_LIMIT = 5;
const CLOUD_PAGE_CAP = 100; // when more than id and key are asked for (Atlassian KB 779160706: lowered silently)
const CLOUD_ID_PAGE_CAP = 5000;
const DC_PAGE_CAP = 1000; // jira.search.views.default.max
const ALL_FIELDS = ['summary', 'description', 'issuetype', 'project', 'status', 'resolution', 'resolutiondate',
  'duedate', 'assignee', 'reporter', 'priority', 'labels', 'created', 'updated', 'statuscategorychangedate'];
const FIELD_NAMES = {
  summary: 'Summary', description: 'Description', issuetype: 'Issue Type', project: 'Project', status: 'Status',
  resolution: 'Resolution', resolutiondate: 'Resolved', duedate: 'Due date', assignee: 'Assignee', reporter: 'Reporter',
  priority: 'Priority', labels: 'Labels', created: 'Created', updated: 'Updated',
  statuscategorychangedate: 'Status Category Changed',
};

// A comma-separated query parameter or a JSON array, as a list.
function list(v) {
  if (v == null) return null;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

function intParam(v, name, dflt) {
  if (v == null || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) throw messageError(400, `The value '${v}' for parameter '${name}' is not a valid integer.`);
  return n;
}

class Rest {
  constructor(site, store, options) {
    this.site = site;
    this.store = store;
    this.options = options; // {dcBulk, issueWriteLimit}
    this.routes = this.site.dc ? this.dcRoutes() : this.cloudRoutes();
  }

  // Which fields to write: `want` is Jira's fields parameter (ids, *all, *navigable, -id).
  fieldSet(issue, want) {
    const project = this.site.project(issue.projectId);
    const all = ALL_FIELDS.concat(this.site.projectCustomFields(project).map((f) => f.id));
    const chosen = new Set();
    for (const f of want) {
      if (f === '*all' || f === '*navigable') all.forEach((x) => chosen.add(x));
      else if (f.startsWith('-')) chosen.delete(f.slice(1));
      else if (all.includes(f)) chosen.add(f);
    }
    for (const f of want) if (f.startsWith('-')) chosen.delete(f.slice(1));
    return all.filter((f) => chosen.has(f));
  }

  fieldValue(issue, id) {
    const s = this.site;
    switch (id) {
      case 'summary': return issue.summary;
      case 'description': return clone(issue.description);
      case 'issuetype': return s.renderIssueType(issue.issuetype);
      case 'project': return s.renderProject(s.project(issue.projectId));
      case 'status': return s.renderStatus(issue.status);
      case 'resolution': return s.renderResolution(issue.resolution);
      case 'resolutiondate': return issue.resolutiondate == null ? null : timestamp(issue.resolutiondate);
      case 'duedate': return issue.duedate;
      case 'assignee': return s.renderUser(s.userByAccountId(issue.assignee));
      case 'reporter': return s.renderUser(s.userByAccountId(issue.reporter));
      case 'priority': return s.renderPriority(issue.priority);
      case 'labels': return issue.labels.slice();
      case 'created': return timestamp(issue.created);
      case 'updated': return timestamp(issue.updated);
      case 'statuscategorychangedate': return timestamp(issue.statuscategorychangedate);
      default: {
        const v = issue.custom[id];
        if (v == null) return null;
        return s.customField(id).kind === 'select' ? s.renderOption(id, v) : v;
      }
    }
  }

  // An IssueBean. Asked for its id alone, Cloud's search answers {id} and nothing more.
  renderIssue(issue, { fields, properties = [], expand = [], idOnly = false }) {
    const chosen = this.fieldSet(issue, fields);
    if (idOnly && chosen.length === 0 && !fields.includes('key') && properties.length === 0) return { id: issue.id };
    const out = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id, self: this.site.url(`/issue/${issue.id}`), key: issue.key,
    };
    out.fields = Object.fromEntries(chosen.map((f) => [f, this.fieldValue(issue, f)]));
    if (properties.length) {
      out.properties = {};
      for (const k of properties) if (k in issue.properties) out.properties[k] = clone(issue.properties[k]);
    }
    if (expand.includes('names')) out.names = this.names(chosen);
    if (expand.includes('transitions')) out.transitions = this.store.availableTransitions(issue).map((t) => this.site.renderTransition(t, false));
    return out;
  }

  names(ids) {
    return Object.fromEntries(ids.map((id) => [id, FIELD_NAMES[id] || this.site.customField(id).name]));
  }

  issueParam(match) {
    return this.store.requireIssue(decodeURIComponent(match[1]));
  }

  // The issue a write goes to; on Cloud, a 429 when it has had too many writes lately.
  writableIssue(match) {
    const issue = this.issueParam(match);
    const wait = this.site.dc || !this.options.issueWriteLimit ? 0 : this.store.countWrite(issue);
    if (wait) {
      throw new JiraError(429, { errorMessages: [`Too many writes to ${issue.key}; try again later.`] }, {
        'Retry-After': String(wait), 'RateLimit-Reason': 'jira-per-issue-on-write',
        'X-RateLimit-Reset': new Date(Date.now() + wait * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    }
    return issue;
  }

  // --- issues -----------------------------------------------------------------------------
  createIssue({ body }) {
    const issue = this.store.create(body);
    return { status: 201, body: { id: issue.id, key: issue.key, self: this.site.url(`/issue/${issue.id}`) } };
  }

  createIssues({ body }) {
    const { issues, errors } = this.store.createBulk(body);
    const created = issues.map((i) => ({ id: i.id, key: i.key, self: this.site.url(`/issue/${i.id}`) }));
    return { status: issues.length ? 201 : 400, body: { issues: created, errors } };
  }

  getIssue({ match, query }) {
    const issue = this.issueParam(match);
    return {
      status: 200,
      body: this.renderIssue(issue, {
        fields: list(query.fields) || ['*all'], properties: list(query.properties) || [], expand: list(query.expand) || [],
      }),
    };
  }

  editIssue({ match, query, body }) {
    const issue = this.writableIssue(match);
    this.store.edit(issue, body);
    if (query.returnIssue === 'true') return { status: 200, body: this.renderIssue(issue, { fields: ['*all'] }) };
    return { status: 204 };
  }

  deleteIssue({ match }) {
    this.store.deleteIssue(this.writableIssue(match));
    return { status: 204 };
  }

  assignIssue({ match, body }) {
    const issue = this.writableIssue(match);
    this.store.edit(issue, { fields: { assignee: body } });
    return { status: 204 };
  }

  // --- transitions ------------------------------------------------------------------------
  getTransitions({ match, query }) {
    const issue = this.issueParam(match);
    let ts = this.store.availableTransitions(issue);
    if (query.transitionId != null) ts = ts.filter((t) => t.id === query.transitionId);
    const withFields = (list(query.expand) || []).includes('transitions.fields');
    return { status: 200, body: { expand: 'transitions', transitions: ts.map((t) => this.site.renderTransition(t, withFields)) } };
  }

  doTransition({ match, body }) {
    this.store.doTransition(this.writableIssue(match), body);
    return { status: 204 };
  }

  // --- properties -------------------------------------------------------------------------
  getIssuePropertyKeys({ match }) {
    const issue = this.issueParam(match);
    const keys = Object.keys(issue.properties).map((key) => ({
      self: this.site.url(`/issue/${issue.id}/properties/${encodeURIComponent(key)}`), key,
    }));
    return { status: 200, body: { keys } };
  }

  getIssueProperty({ match }) {
    const issue = this.issueParam(match);
    const key = decodeURIComponent(match[2]);
    if (!(key in issue.properties)) throw messageError(404, `The property with key '${key}' does not exist.`);
    return { status: 200, body: { key, value: clone(issue.properties[key]) } };
  }

  setIssueProperty({ match, body, raw }) {
    const issue = this.writableIssue(match);
    if (!raw.trim()) throw messageError(400, 'The property value cannot be empty.');
    if (raw.length > 32768) throw messageError(400, 'The property value can not be longer than 32768 characters.');
    const existed = this.store.setProperty(issue, decodeURIComponent(match[2]), body);
    return { status: existed ? 200 : 201 };
  }

  deleteIssueProperty({ match }) {
    this.store.deleteProperty(this.writableIssue(match), decodeURIComponent(match[2]));
    return { status: 204 };
  }

  // --- remote links -----------------------------------------------------------------------
  renderLink(issue, l) {
    const out = { id: l.id, self: this.site.url(`/issue/${issue.id}/remotelink/${l.id}`) };
    if (l.globalId != null) out.globalId = l.globalId;
    if (l.application != null) out.application = clone(l.application);
    if (l.relationship != null) out.relationship = l.relationship;
    out.object = clone(l.object);
    return out;
  }

  getRemoteIssueLinks({ match, query }) {
    const issue = this.issueParam(match);
    if (query.globalId != null) return { status: 200, body: this.renderLink(issue, this.store.remoteLinkByGlobalId(issue, query.globalId)) };
    return { status: 200, body: issue.remoteLinks.map((l) => this.renderLink(issue, l)) };
  }

  createOrUpdateRemoteIssueLink({ match, body }) {
    const issue = this.writableIssue(match);
    const [link, created] = this.store.upsertRemoteLink(issue, body);
    return { status: created ? 201 : 200, body: { id: link.id, self: this.site.url(`/issue/${issue.id}/remotelink/${link.id}`) } };
  }

  getRemoteIssueLinkById({ match }) {
    const issue = this.issueParam(match);
    return { status: 200, body: this.renderLink(issue, this.store.remoteLink(issue, match[2])) };
  }

  updateRemoteIssueLink({ match, body }) {
    const issue = this.writableIssue(match);
    Object.assign(this.store.remoteLink(issue, match[2]), this.store.remoteLinkFields(body));
    return { status: 204 };
  }

  deleteRemoteIssueLinkByGlobalId({ match, query }) {
    const issue = this.writableIssue(match);
    if (query.globalId == null) throw messageError(400, 'The global id of the remote issue link must be provided.');
    this.store.deleteRemoteLink(issue, this.store.remoteLinkByGlobalId(issue, query.globalId));
    return { status: 204 };
  }

  deleteRemoteIssueLinkById({ match }) {
    const issue = this.writableIssue(match);
    this.store.deleteRemoteLink(issue, this.store.remoteLink(issue, match[2]));
    return { status: 204 };
  }

  // --- search -----------------------------------------------------------------------------
  jql(text) {
    return parseJql(text, this.site, { keyExists: (k) => this.store.issue(k) != null });
  }

  // Cloud's search and reconcile: nextPageToken paging, id-only by default, bounded JQL.
  searchJql(params, post) {
    if (post) {
      const known = ['jql', 'nextPageToken', 'maxResults', 'fields', 'expand', 'properties', 'fieldsByKeys', 'failFast', 'reconcileIssues'];
      for (const k of Object.keys(params)) {
        if (!known.includes(k)) {
          throw messageError(400, `Unrecognized field "${k}" (class com.atlassian.jira.rest.v2.search.SearchAndReconcileRequestBean), not marked as ignorable`);
        }
      }
      if (params.expand != null && typeof params.expand !== 'string') {
        throw messageError(400, 'Can not deserialize instance of java.lang.String out of START_ARRAY token');
      }
      for (const k of ['fields', 'properties', 'reconcileIssues']) {
        if (params[k] != null && !Array.isArray(params[k])) {
          throw messageError(400, `Can not deserialize instance of java.util.ArrayList out of ${typeof params[k] === 'string' ? 'VALUE_STRING' : 'START_OBJECT'} token`);
        }
      }
    }
    const reconcile = list(params.reconcileIssues) || [];
    if (reconcile.length > RECONCILE_LIMIT) {
      throw messageError(400, `The number of issues to reconcile must not exceed ${RECONCILE_LIMIT}.`);
    }
    if (reconcile.some((id) => !/^\d+$/.test(id))) throw messageError(400, 'reconcileIssues takes numeric issue ids.');
    const fields = list(params.fields) || ['id'];
    const properties = list(params.properties) || [];
    if (properties.length > PROPERTIES_LIMIT) throw messageError(400, `You can request at most ${PROPERTIES_LIMIT} issue properties.`);
    const expand = list(params.expand) || [];
    let maxResults = intParam(params.maxResults, 'maxResults', 50);
    if (maxResults < 1 || maxResults > 5000) throw messageError(400, 'The max results parameter has to be between 1 and 5,000.');
    const idOnly = fields.every((f) => f === 'id' || f === 'key');
    maxResults = Math.min(maxResults, idOnly ? CLOUD_ID_PAGE_CAP : CLOUD_PAGE_CAP);
    const jqlText = params.jql == null ? '' : params.jql;
    const q = this.jql(jqlText);
    if (!q.bounded) throw messageError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    const offset = params.nextPageToken != null ? this.readToken(params.nextPageToken, jqlText) : 0;
    const found = sortIssues(this.store.search(q.matches, reconcile), q.order);
    const page = found.slice(offset, offset + maxResults);
    const body = { issues: page.map((i) => this.renderIssue(i, { fields, properties, expand, idOnly: true })) };
    if (offset + maxResults < found.length) body.nextPageToken = this.makeToken(offset + maxResults, jqlText);
    body.isLast = body.nextPageToken == null;
    if (expand.includes('names')) body.names = this.names(page.length ? this.fieldSet(page[0], fields) : []);
    return { status: 200, body };
  }

  makeToken(offset, jqlText) {
    return Buffer.from(JSON.stringify({ o: offset, q: jqlText })).toString('base64url');
  }

  readToken(token, jqlText) {
    let t = null;
    try {
      t = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'));
    } catch (e) {
      t = null;
    }
    if (!t || !Number.isInteger(t.o) || t.q !== jqlText) throw messageError(400, 'The provided next page token is invalid or expired.');
    return t.o;
  }

  countIssues({ body }) {
    for (const k of Object.keys(body || {})) {
      if (k !== 'jql') throw messageError(400, `Unrecognized field "${k}" (class com.atlassian.jira.rest.v2.search.JQLCountRequestBean), not marked as ignorable`);
    }
    const q = this.jql((body && body.jql) || '');
    if (!q.bounded) throw messageError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    return { status: 200, body: { count: this.store.search(q.matches).length } };
  }

  // Bulk fetch reads issues by key or id, consistently; unknown ones are left out.
  bulkFetchIssues({ body }) {
    const refs = body && body.issueIdsOrKeys;
    if (!Array.isArray(refs) || refs.length === 0) throw messageError(400, 'issueIdsOrKeys must not be empty.');
    if (refs.length > 100) throw messageError(400, 'The number of issues must not exceed 100.');
    const fields = list(body.fields) || ['*navigable'];
    const found = [...new Set(refs.map((r) => this.store.issue(r)).filter(Boolean))].sort((a, b) => a.id - b.id);
    const issues = found.map((i) => this.renderIssue(i, { fields, properties: list(body.properties) || [], expand: list(body.expand) || [] }));
    return { status: 200, body: { issues, issueErrors: [] } };
  }

  // Data Center's search: startAt/maxResults paging with a total, all navigable fields.
  searchDc(params, post) {
    if (post) {
      const known = ['jql', 'startAt', 'maxResults', 'fields', 'expand', 'validateQuery', 'properties', 'fieldsByKeys'];
      for (const k of Object.keys(params)) {
        if (!known.includes(k)) throw messageError(400, `Unrecognized field "${k}" (Class com.atlassian.jira.rest.v2.search.SearchRequestBean), not marked as ignorable`);
      }
    }
    const startAt = Math.max(0, intParam(params.startAt, 'startAt', 0));
    let maxResults = intParam(params.maxResults, 'maxResults', 50);
    if (maxResults < 0) maxResults = 50;
    maxResults = Math.min(maxResults, DC_PAGE_CAP);
    const fields = list(params.fields) || ['*navigable'];
    const q = this.jql(params.jql == null ? '' : params.jql);
    const found = sortIssues(this.store.search(q.matches), q.order);
    const page = found.slice(startAt, startAt + maxResults);
    const properties = list(params.properties) || [];
    return {
      status: 200,
      body: {
        expand: 'schema,names', startAt, maxResults, total: found.length,
        issues: page.map((i) => this.renderIssue(i, { fields, properties, expand: list(params.expand) || [] })),
      },
    };
  }

  removedSearch() {
    throw removedError();
  }

  // --- users ------------------------------------------------------------------------------
  getCurrentUser() {
    return { status: 200, body: this.site.renderUser(this.site.apiUser()) };
  }

  // Cloud: the prefix of a display name (or a word of it) or of a visible e-mail; a hidden
  // e-mail only whole. Active users only.
  matchesCloud(u, q) {
    const s = q.toLowerCase();
    if (!s) return false;
    const words = [u.displayName.toLowerCase(), ...u.displayName.toLowerCase().split(/\s+/)];
    if (words.some((w) => w.startsWith(s))) return true;
    return u.hidden ? u.email.toLowerCase() === s : u.email.toLowerCase().startsWith(s);
  }

  findUsers({ query }) {
    if (this.site.dc) {
      if (query.username == null) throw messageError(400, 'The username query parameter was not provided');
      const s = query.username.toLowerCase();
      const hit = (u) => [u.name, u.displayName, u.email].some((x) => x.toLowerCase().startsWith(s))
        && (u.active || query.includeInactive === 'true');
      return this.userPage(this.site.users().filter(hit), query);
    }
    if (query.username != null) throw messageError(400, "'accountId' must be the only user identifying query parameter in GDPR strict mode.");
    if (query.query == null && query.accountId == null && query.property == null) {
      throw messageError(400, "One of 'query', 'accountId' or 'property' query parameters is required.");
    }
    if (query.property != null) throw messageError(400, 'Searching users by property is not modelled by this fake.');
    const users = this.site.users().filter((u) => u.active
      && (query.accountId == null || u.accountId === query.accountId)
      && (query.query == null || this.matchesCloud(u, query.query)));
    return this.userPage(users, query);
  }

  findAssignableUsers({ query }) {
    const project = query.project != null ? this.site.project(query.project)
      : query.issueKey != null ? this.site.project(this.store.requireIssue(query.issueKey).projectId) : null;
    if (!project) {
      if (query.project == null && query.issueKey == null) throw messageError(400, "At least one of 'project', 'issueKey' or 'issueId' is required.");
      throw messageError(404, `No project could be found with key '${query.project}'.`);
    }
    return this.findUsers({ query });
  }

  userPage(users, query) {
    const startAt = intParam(query.startAt, 'startAt', 0);
    const maxResults = Math.min(intParam(query.maxResults, 'maxResults', 50), 1000);
    return { status: 200, body: users.slice(startAt, startAt + maxResults).map((u) => this.site.renderUser(u)) };
  }

  getUser({ query }) {
    const u = this.site.dc ? this.site.userByName(query.username || query.key) : this.site.userByAccountId(query.accountId);
    if (!u) throw messageError(404, 'Specified user does not exist or you do not have required permissions');
    return { status: 200, body: this.site.renderUser(u) };
  }

  // --- create metadata --------------------------------------------------------------------
  metaProject(match) {
    const ref = decodeURIComponent(match[1]);
    const p = this.site.project(ref);
    if (!p) throw messageError(404, `No project could be found with key '${ref}'.`);
    return p;
  }

  // Data Center pages these as {values}, Cloud as {issueTypes} and {fields}.
  page(items, name, query) {
    const startAt = intParam(query.startAt, 'startAt', 0);
    const maxResults = Math.min(intParam(query.maxResults, 'maxResults', 50), 200);
    const slice = items.slice(startAt, startAt + maxResults);
    if (this.site.dc) return { maxResults, startAt, total: items.length, isLast: startAt + maxResults >= items.length, values: slice };
    return { [name]: slice, maxResults, startAt, total: items.length };
  }

  getCreateIssueMetaIssueTypes({ match, query }) {
    this.metaProject(match);
    const types = this.site.issueTypes().map((t) => ({
      self: this.site.url(`/issuetype/${t.id}`), id: t.id, iconUrl: this.site.renderIssueType(t.id).iconUrl,
      name: t.name, subtask: false, hierarchyLevel: 0,
    }));
    return { status: 200, body: this.page(types, 'issueTypes', query) };
  }

  getCreateIssueMetaIssueTypeId({ match, query }) {
    const p = this.metaProject(match);
    const type = this.site.issueType(decodeURIComponent(match[2]));
    if (!type || type.id !== decodeURIComponent(match[2])) throw messageError(400, 'The issue type selected is invalid.');
    const s = this.site;
    const f = (fieldId, name, required, schema, extra = {}) => ({
      required, schema, name, key: fieldId, fieldId, hasDefaultValue: false, operations: ['set'], ...extra,
    });
    const userSearch = s.dc ? s.url('/user/search?username=') : s.url(`/user/assignable/search?project=${p.key}&query=`);
    const fields = [
      f('issuetype', 'Issue Type', true, { type: 'issuetype', system: 'issuetype' }, { allowedValues: [s.renderIssueType(type.id)] }),
      f('project', 'Project', true, { type: 'project', system: 'project' }, { allowedValues: [s.renderProject(p)] }),
      f('summary', 'Summary', true, { type: 'string', system: 'summary' }),
      f('description', 'Description', false, { type: 'string', system: 'description' }),
      f('reporter', 'Reporter', true, { type: 'user', system: 'reporter' }, { hasDefaultValue: true, autoCompleteUrl: userSearch }),
      f('assignee', 'Assignee', false, { type: 'user', system: 'assignee' }, { autoCompleteUrl: userSearch }),
      f('priority', 'Priority', false, { type: 'priority', system: 'priority' }, {
        hasDefaultValue: true, allowedValues: s.priorities().map((x) => s.renderPriority(x.id)), defaultValue: s.renderPriority(s.defaultPriority()),
      }),
      f('labels', 'Labels', false, { type: 'array', items: 'string', system: 'labels' }, {
        operations: ['add', 'set', 'remove'], autoCompleteUrl: `${s.base}/rest/api/1.0/labels/suggest?query=`,
      }),
      f('duedate', 'Due date', false, { type: 'date', system: 'duedate' }),
    ];
    for (const cf of s.projectCustomFields(p)) {
      const schema = cf.kind === 'select' ? { type: 'option', custom: cf.custom, customId: cf.customId }
        : { type: 'string', custom: cf.custom, customId: cf.customId };
      const extra = cf.kind === 'select' ? { allowedValues: cf.options.map((o) => s.renderOption(cf.id, o.id)) } : {};
      fields.push(f(cf.id, cf.name, cf.required, schema, extra));
    }
    return { status: 200, body: this.page(fields, 'fields', query) };
  }

  getStatusCategories() {
    return { status: 200, body: this.site.categories().map((c) => this.site.renderCategory(c.key)) };
  }

  // --- routing ----------------------------------------------------------------------------
  common() {
    const issue = '/issue/([^/]+)';
    return [
      ['POST', '/issue', 'createIssue'],
      ['GET', `${issue}`, 'getIssue'],
      ['PUT', `${issue}`, 'editIssue'],
      ['DELETE', `${issue}`, 'deleteIssue'],
      ['PUT', `${issue}/assignee`, 'assignIssue'],
      ['GET', `${issue}/transitions`, 'getTransitions'],
      ['POST', `${issue}/transitions`, 'doTransition'],
      ['GET', `${issue}/properties`, 'getIssuePropertyKeys'],
      ['GET', `${issue}/properties/([^/]+)`, 'getIssueProperty'],
      ['PUT', `${issue}/properties/([^/]+)`, 'setIssueProperty'],
      ['DELETE', `${issue}/properties/([^/]+)`, 'deleteIssueProperty'],
      ['GET', `${issue}/remotelink`, 'getRemoteIssueLinks'],
      ['POST', `${issue}/remotelink`, 'createOrUpdateRemoteIssueLink'],
      ['DELETE', `${issue}/remotelink`, 'deleteRemoteIssueLinkByGlobalId'],
      ['GET', `${issue}/remotelink/([^/]+)`, 'getRemoteIssueLinkById'],
      ['PUT', `${issue}/remotelink/([^/]+)`, 'updateRemoteIssueLink'],
      ['DELETE', `${issue}/remotelink/([^/]+)`, 'deleteRemoteIssueLinkById'],
      ['GET', '/issue/createmeta/([^/]+)/issuetypes', 'getCreateIssueMetaIssueTypes'],
      ['GET', '/issue/createmeta/([^/]+)/issuetypes/([^/]+)', 'getCreateIssueMetaIssueTypeId'],
      ['GET', '/myself', 'getCurrentUser'],
      ['GET', '/user', 'getUser'],
      ['GET', '/user/search', 'findUsers'],
      ['GET', '/user/assignable/search', 'findAssignableUsers'],
      ['GET', '/statuscategory', 'getStatusCategories'],
    ];
  }

  cloudRoutes() {
    return this.common().concat([
      ['POST', '/issue/bulk', 'createIssues'],
      ['POST', '/issue/bulkfetch', 'bulkFetchIssues'],
      ['GET', '/search/jql', 'searchAndReconsileIssuesUsingJql', (c) => this.searchJql(c.query, false)],
      ['POST', '/search/jql', 'searchAndReconsileIssuesUsingJqlPost', (c) => this.searchJql(c.body || {}, true)],
      ['POST', '/search/approximate-count', 'countIssues'],
      ['GET', '/search', 'searchForIssuesUsingJql', () => this.removedSearch()],
      ['POST', '/search', 'searchForIssuesUsingJqlPost', () => this.removedSearch()],
    ]);
  }

  dcRoutes() {
    return this.common().concat([
      ['POST', '/issue/bulk', 'createIssues', (c) => {
        if (!this.options.dcBulk) throw this.notFound('POST', '/rest/api/2/issue/bulk');
        return this.createIssues(c);
      }],
      ['GET', '/search', 'searchForIssuesUsingJql', (c) => this.searchDc(c.query, false)],
      ['POST', '/search', 'searchForIssuesUsingJqlPost', (c) => this.searchDc(c.body || {}, true)],
    ]);
  }

  notFound(method, path) {
    if (this.site.dc) {
      // Jersey's own 404, as Data Center answers a path no resource serves.
      const e = new JiraError(404, {});
      e.body = { message: `null for uri: ${this.site.base}${path}`, 'status-code': 404 };
      return e;
    }
    return messageError(404, `No ${method} ${path} in the Jira REST API as this fake models it.`);
  }

  // [operationId, handler, match] for a request, or a JiraError to answer. The specific
  // paths (bulk, createmeta) are tried before /issue/{key}.
  route(method, path) {
    const prefix = this.site.api;
    if (!path.startsWith(`${prefix}/`)) {
      if (!this.site.dc && /^\/rest\/api\/2\/search\/?$/.test(path)) return { error: removedError() };
      return { error: this.notFound(method, path) };
    }
    const rest = path.slice(prefix.length).replace(/\/$/, '');
    const ordered = this.routes.slice().sort((a, b) => (a[1].match(/\(/g) || []).length - (b[1].match(/\(/g) || []).length);
    let pathKnown = false;
    for (const [m, pattern, op, handler] of ordered) {
      const match = new RegExp(`^${pattern}$`).exec(rest);
      if (!match) continue;
      pathKnown = true;
      if (m !== method) continue;
      return { op, handler: handler || ((c) => this[op](c)), match };
    }
    if (pathKnown) return { error: new JiraError(405, { errorMessages: [`Method ${method} is not allowed here.`] }) };
    return { error: this.notFound(method, path) };
  }
}

module.exports = { Rest, BULK_LIMIT };
