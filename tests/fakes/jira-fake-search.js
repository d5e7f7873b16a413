// The fake Jira's search resources, mixed into Rest: Cloud's search and reconcile with
// nextPageToken paging, approximate count and bulk fetch, Data Center's startAt search, and
// the 410 of the removed search API. Each search goes through the store's lagging index.
'use strict';
const { messageError, list, intParam } = require('./jira-fake-fields');
const { parseJql, sortIssues } = require('./jira-fake-jql');

const SEARCH_REMOVED = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. '
  + 'A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const RECONCILE_LIMIT = 50;
const PROPERTIES_LIMIT = 5;
// Cloud lowers maxResults without a word (Atlassian KB 779160706), the more so the more is
// asked for per issue: 5000 for ids and keys alone, 100 for a few fields, 50 with issue
// properties or more than 10 fields. The figures are the fake's; the lowering is Jira's.
const CLOUD_ID_PAGE_CAP = 5000;
const CLOUD_PAGE_CAP = 100;
const CLOUD_HEAVY_PAGE_CAP = 50;
const HEAVY_FIELDS = 10;
const DC_PAGE_CAP = 1000; // jira.search.views.default.max

// The 410 as observed since the removal: errorMessages alone.
function removedError() {
  const e = messageError(410, SEARCH_REMOVED);
  delete e.body.errors;
  return e;
}

const searchMethods = {
  jql(text) {
    return parseJql(text, this.site, { keyExists: (k) => this.store.issue(k) != null });
  },

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
    const heavy = properties.length > 0 || fields.length > HEAVY_FIELDS || fields.some((f) => f.startsWith('*'));
    maxResults = Math.min(maxResults, idOnly ? CLOUD_ID_PAGE_CAP : heavy ? CLOUD_HEAVY_PAGE_CAP : CLOUD_PAGE_CAP);
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
  },

  makeToken(offset, jqlText) {
    return Buffer.from(JSON.stringify({ o: offset, q: jqlText })).toString('base64url');
  },

  readToken(token, jqlText) {
    let t = null;
    try {
      t = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'));
    } catch (e) {
      t = null;
    }
    if (!t || !Number.isInteger(t.o) || t.q !== jqlText) throw messageError(400, 'The provided next page token is invalid or expired.');
    return t.o;
  },

  countIssues({ body }) {
    for (const k of Object.keys(body || {})) {
      if (k !== 'jql') throw messageError(400, `Unrecognized field "${k}" (class com.atlassian.jira.rest.v2.search.JQLCountRequestBean), not marked as ignorable`);
    }
    const q = this.jql((body && body.jql) || '');
    if (!q.bounded) throw messageError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    return { status: 200, body: { count: this.store.search(q.matches).length } };
  },

  // Bulk fetch reads issues by key or id, consistently; unknown ones are left out.
  bulkFetchIssues({ body }) {
    const refs = body && body.issueIdsOrKeys;
    if (!Array.isArray(refs) || refs.length === 0) throw messageError(400, 'issueIdsOrKeys must not be empty.');
    if (refs.length > 100) throw messageError(400, 'The number of issues must not exceed 100.');
    const fields = list(body.fields) || ['*navigable'];
    const found = [...new Set(refs.map((r) => this.store.issue(r)).filter(Boolean))].sort((a, b) => a.id - b.id);
    const issues = found.map((i) => this.renderIssue(i, { fields, properties: list(body.properties) || [], expand: list(body.expand) || [] }));
    return { status: 200, body: { issues, issueErrors: [] } };
  },

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
  },

  removedSearch() {
    throw removedError();
  },
};

module.exports = { searchMethods, removedError };
