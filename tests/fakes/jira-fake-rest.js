// The fake Jira's REST resources: Cloud's /rest/api/3 or Data Center's /rest/api/2, each
// route named by the operationId Atlassian's OpenAPI file gives it, answering as Jira does
// (shapes, status codes, ErrorCollection refusals). route() finds the handler for a method
// and path; handlers take {match, query, body, raw} and return {status, body} or throw a
// JiraError.
'use strict';
const { messageError, JiraError, list } = require('./jira-fake-fields');
const { searchMethods, removedError } = require('./jira-fake-search');
const { metaMethods } = require('./jira-fake-meta');
const { timestamp, clone } = require('./jira-fake-store');

const ALL_FIELDS = ['summary', 'description', 'issuetype', 'project', 'status', 'resolution', 'resolutiondate',
  'duedate', 'assignee', 'reporter', 'priority', 'labels', 'created', 'updated', 'statuscategorychangedate'];
const FIELD_NAMES = {
  summary: 'Summary', description: 'Description', issuetype: 'Issue Type', project: 'Project', status: 'Status',
  resolution: 'Resolution', resolutiondate: 'Resolved', duedate: 'Due date', assignee: 'Assignee', reporter: 'Reporter',
  priority: 'Priority', labels: 'Labels', created: 'Created', updated: 'Updated',
  statuscategorychangedate: 'Status Category Changed',
};

// The resources; search, users and create metadata come from their own modules.
class Rest {
  constructor(site, store, options) {
    this.site = site;
    this.store = store;
    this.options = options; // {dcBulk, issueWriteLimit, issueLinking}
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
    const out = { id: issue.id, key: issue.key, self: this.site.url(`/issue/${issue.id}`) };
    if (body.transition != null) out.transition = { status: 200, errorCollection: { errorMessages: [], errors: {} } };
    return { status: 201, body: out };
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

  // Remote links need issue linking to be active on the site: else 403, as the spec says.
  linkableIssue(match) {
    const issue = this.writableIssue(match);
    if (!this.options.issueLinking) throw messageError(403, 'Issue linking is currently disabled.');
    return issue;
  }

  createOrUpdateRemoteIssueLink({ match, body }) {
    const issue = this.linkableIssue(match);
    const [link, created] = this.store.upsertRemoteLink(issue, body);
    return { status: created ? 201 : 200, body: { id: link.id, self: this.site.url(`/issue/${issue.id}/remotelink/${link.id}`) } };
  }

  getRemoteIssueLinkById({ match }) {
    const issue = this.issueParam(match);
    return { status: 200, body: this.renderLink(issue, this.store.remoteLink(issue, match[2])) };
  }

  updateRemoteIssueLink({ match, body }) {
    const issue = this.linkableIssue(match);
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
      ['GET', '/project/([^/]+)', 'getProject'],
      ['GET', '/serverInfo', 'getServerInfo'],
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

Object.assign(Rest.prototype, searchMethods, metaMethods);

module.exports = { Rest };
