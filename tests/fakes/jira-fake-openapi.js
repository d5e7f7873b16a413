#!/usr/bin/env node
// Checks answers of the fake Jira (Cloud) against the response schemas of Atlassian's
// OpenAPI file for the Jira Cloud platform REST API v3.
//
//   NODE_PATH=/usr/share/nodejs node jira-fake-openapi.js openapi.json exchanges.tsv
//
// exchanges.tsv: one answer a line, "METHOD<TAB>PATH?QUERY<TAB>STATUS<TAB>CONTENT-TYPE<TAB>BODYFILE".
// Rules, per answer:
//   - the path must be an operation of the file (404/405 for paths that are not, with an
//     ErrorCollection body, are the only exception);
//   - a JSON body is validated against the schema the operation declares for its status;
//     where it declares none for an error status (4xx/5xx), against ErrorCollection, the
//     error shape Jira documents; a 2xx without a declared schema must have no body;
//   - fields of an IssueBean are validated one by one: status, priority, resolution,
//     issuetype, project, assignee and reporter against their schemas;
//   - where the file and the real service disagree, the real service wins and the rule
//     says so: 401 is text/plain (Jira Cloud's "Client must be authenticated ..."), 503 an
//     HTML page, 410 comes from the removed /search, 429 from the rate limiter, and GET
//     remotelink without globalId answers a list of the RemoteIssueLink the file declares.
// Prints "ok"/"not ok" per answer with the reasons, then "N passed, N failed"; exits 1 on
// any failure.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

const [specPath, logPath] = process.argv.slice(2);
if (!specPath || !logPath) {
  console.error('usage: jira-fake-openapi.js openapi.json exchanges.tsv');
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
const ajv = new Ajv({ nullable: true, unknownFormats: 'ignore', schemaId: 'auto', logger: false, allErrors: true });
ajv.addSchema(spec, 'spec');
const validators = new Map();
function validate(ref, value) {
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: `spec${ref}` }));
  const v = validators.get(ref);
  return v(value) ? null : ajv.errorsText(v.errors, { dataVar: 'body' });
}
const schemaRef = (name) => `#/components/schemas/${name}`;

const operations = [];
for (const [template, item] of Object.entries(spec.paths)) {
  const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
  for (const method of ['get', 'put', 'post', 'delete']) {
    if (item[method]) operations.push({ method: method.toUpperCase(), re, template, op: item[method] });
  }
}
operations.sort((a, b) => (a.template.match(/\{/g) || []).length - (b.template.match(/\{/g) || []).length);

const FIELD_SCHEMAS = {
  status: 'StatusDetails', priority: 'Priority', resolution: 'Resolution', issuetype: 'IssueTypeDetails',
  project: 'ProjectDetails', assignee: 'UserDetails', reporter: 'UserDetails',
};
// Answers outside the declared responses that the real service gives: status -> why.
const UNDECLARED = {
  404: 'not found', 405: 'method not allowed', 410: 'removed API', 413: 'too large', 415: 'media type',
  429: 'rate limited', 500: 'server error', 503: 'unavailable',
};

function issueProblems(issue, where) {
  const problems = [];
  for (const [field, name] of Object.entries(FIELD_SCHEMAS)) {
    const value = issue && issue.fields && issue.fields[field];
    if (value == null) continue;
    const err = validate(schemaRef(name), value);
    if (err) problems.push(`${where}.fields.${field}: ${err}`);
  }
  return problems;
}

function issuesIn(body) {
  if (!body || typeof body !== 'object') return [];
  if (Array.isArray(body.issues)) return body.issues;
  if (body.fields && body.key) return [body];
  return [];
}

function checkOne(method, target, status, type, text) {
  // /rest/api/2 on Cloud serves the same operations as /rest/api/3.
  const path = target.split('?')[0].replace(/^\/rest\/api\/2\//, '/rest/api/3/');
  const found = operations.find((o) => o.method === method && o.re.test(path));
  const json = /json/i.test(type);
  let body;
  if (text.length && json) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      return [`body is not JSON: ${e.message}`];
    }
  }
  if (!found) {
    if ((status === 404 || status === 405) && json) {
      const err = validate(schemaRef('ErrorCollection'), body);
      return err ? [err] : [];
    }
    return [`${method} ${path} is no operation of the file`];
  }
  const declared = found.op.responses[String(status)];
  if (!declared && !UNDECLARED[status]) return [`status ${status} is not among ${found.op.operationId}'s responses`];
  if (status === 401) return /^text\/plain/i.test(type) && text.trim() ? [] : ['a 401 is text/plain with a message'];
  if (status === 503 && /^text\/html/i.test(type)) return [];
  if (status === 204) return text.length ? ['a 204 has no body'] : [];
  const content = declared && declared.content && (declared.content['application/json'] || Object.values(declared.content)[0]);
  let schema = content && content.schema;
  const anyJson = Boolean(content) && !(schema && (schema.$ref || schema.items)); // "{}": any JSON or none
  if (anyJson) schema = null;
  if (!text.length) {
    if (schema) return [`${found.op.operationId} ${status} declares a body but none came`];
    return [];
  }
  if (!json) return [`${status} body is ${type || 'untyped'}, not JSON`];
  const problems = [];
  if (found.op.operationId === 'getRemoteIssueLinks' && Array.isArray(body)) {
    body.forEach((link, i) => {
      const err = validate(schemaRef('RemoteIssueLink'), link);
      if (err) problems.push(`[${i}]: ${err}`);
    });
    return problems;
  }
  if (schema && schema.$ref) {
    const err = validate(schema.$ref, body);
    if (err) problems.push(err);
  } else if (schema && schema.items) {
    if (!Array.isArray(body)) problems.push('body should be an array');
    else {
      body.forEach((item, i) => {
        const err = validate(schema.items.$ref, item);
        if (err) problems.push(`[${i}]: ${err}`);
      });
    }
  } else if (anyJson && status < 400) {
    // the file allows any JSON here
  } else if (status >= 400) {
    const err = validate(schemaRef('ErrorCollection'), body);
    if (err) problems.push(err);
  } else {
    problems.push(`${found.op.operationId} ${status} declares no body but one came`);
  }
  issuesIn(body).forEach((issue, i) => problems.push(...issueProblems(issue, `issues[${i}]`)));
  return problems;
}

let passed = 0;
let failed = 0;
const lines = fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean);
lines.forEach((line, i) => {
  const [method, target, status, type, file] = line.split('\t');
  const text = fs.readFileSync(file, 'utf8');
  const problems = checkOne(method, target, Number(status), type || '', text);
  if (problems.length) {
    failed++;
    console.log(`not ok ${i + 1} - ${method} ${target} ${status}`);
    for (const p of problems) console.log(`#   ${p}`);
  } else {
    passed++;
  }
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
