// The fake Jira's users, create metadata and status categories, mixed into Rest.
'use strict';
const { messageError, intParam } = require('./jira-fake-fields');

const metaMethods = {
  // --- users ------------------------------------------------------------------------------
  getCurrentUser() {
    return { status: 200, body: this.site.renderUser(this.site.apiUser()) };
  },

  // Cloud: the prefix of a display name (or a word of it) or of a visible e-mail; a hidden
  // e-mail only whole. Active users only.
  matchesCloud(u, q) {
    const s = q.toLowerCase();
    if (!s) return false;
    const words = [u.displayName.toLowerCase(), ...u.displayName.toLowerCase().split(/\s+/)];
    if (words.some((w) => w.startsWith(s))) return true;
    return u.hidden ? u.email.toLowerCase() === s : u.email.toLowerCase().startsWith(s);
  },

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
  },

  findAssignableUsers({ query }) {
    const project = query.project != null ? this.site.project(query.project)
      : query.issueKey != null ? this.site.project(this.store.requireIssue(query.issueKey).projectId) : null;
    if (!project) {
      if (query.project == null && query.issueKey == null) throw messageError(400, "At least one of 'project', 'issueKey' or 'issueId' is required.");
      throw messageError(404, `No project could be found with key '${query.project}'.`);
    }
    return this.findUsers({ query });
  },

  userPage(users, query) {
    const startAt = intParam(query.startAt, 'startAt', 0);
    const maxResults = Math.min(intParam(query.maxResults, 'maxResults', 50), 1000);
    return { status: 200, body: users.slice(startAt, startAt + maxResults).map((u) => this.site.renderUser(u)) };
  },

  getUser({ query }) {
    const u = this.site.dc ? this.site.userByName(query.username || query.key) : this.site.userByAccountId(query.accountId);
    if (!u) throw messageError(404, 'Specified user does not exist or you do not have required permissions');
    return { status: 200, body: this.site.renderUser(u) };
  },

  // --- create metadata --------------------------------------------------------------------
  metaProject(match) {
    const ref = decodeURIComponent(match[1]);
    const p = this.site.project(ref);
    if (!p) throw messageError(404, `No project could be found with key '${ref}'.`);
    return p;
  },

  // Data Center pages these as {values}, Cloud as {issueTypes} and {fields}.
  page(items, name, query) {
    const startAt = intParam(query.startAt, 'startAt', 0);
    const maxResults = Math.min(intParam(query.maxResults, 'maxResults', 50), 200);
    const slice = items.slice(startAt, startAt + maxResults);
    if (this.site.dc) return { maxResults, startAt, total: items.length, isLast: startAt + maxResults >= items.length, values: slice };
    return { [name]: slice, maxResults, startAt, total: items.length };
  },

  getCreateIssueMetaIssueTypes({ match, query }) {
    this.metaProject(match);
    const types = this.site.issueTypes().map((t) => ({
      self: this.site.url(`/issuetype/${t.id}`), id: t.id, iconUrl: this.site.renderIssueType(t.id).iconUrl,
      name: t.name, subtask: false, hierarchyLevel: 0,
    }));
    return { status: 200, body: this.page(types, 'issueTypes', query) };
  },

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
  },

  getProject({ match }) {
    const p = this.metaProject(match);
    const s = this.site;
    return {
      status: 200,
      body: {
        expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight', self: s.url(`/project/${p.id}`),
        id: p.id, key: p.key, name: p.name, description: '', lead: s.renderUser(s.apiUser()),
        issueTypes: s.issueTypes().map((t) => s.renderIssueType(t.id)), assigneeType: 'UNASSIGNED',
        projectTypeKey: 'software', simplified: false, style: 'classic', isPrivate: false, properties: {},
        avatarUrls: s.avatarUrls(10400),
      },
    };
  },

  // Cloud says Cloud; Data Center answers a 9.12 version and, as far as is known, "Server".
  getServerInfo() {
    const now = new Date().toISOString().replace('Z', '+0000');
    const version = this.site.dc ? [9, 12, 15] : [1001, 0, 0];
    return {
      status: 200,
      body: {
        baseUrl: this.site.base, displayUrl: this.site.base, version: this.site.dc ? version.join('.') : '1001.0.0-SNAPSHOT',
        versionNumbers: version, deploymentType: this.site.dc ? 'Server' : 'Cloud', buildNumber: this.site.dc ? 9120015 : 100300,
        buildDate: '2026-11-30T00:00:00.000+0000', serverTime: now, scmInfo: '0000000000000000000000000000000000000000',
        serverTitle: 'Jira', serverTimeZone: 'Etc/UTC',
      },
    };
  },

  getStatusCategories() {
    return { status: 200, body: this.site.categories().map((c) => this.site.renderCategory(c.key)) };
  },
};

module.exports = { metaMethods };
